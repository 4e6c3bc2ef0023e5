package dev.scalpel.core.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust tokenizers library (through DJL's binding), configured to do
 * what transformers' {@code tokenizer(text)} and {@code tokenizer.decode(ids)} do by default: add the special tokens the
 * post-processor defines, never truncate or pad, and decode special tokens as text.
 */
public final class Tokenizer implements AutoCloseable {
    private final Path file;
    private final String sha256;
    private final HuggingFaceTokenizer tokenizer;

    private Tokenizer(Path file, String sha256, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.sha256 = sha256;
        this.tokenizer = tokenizer;
    }

    /** Loads {@code tokenizer.json} from a model folder (or the file itself). */
    public static Tokenizer load(Path folderOrFile) {
        Runtime.init();
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve("tokenizer.json") : folderOrFile;
        if (!Files.isRegularFile(file)) {
            throw new ScalpelException(file + ": no tokenizer.json (Scalpel reads the fast-tokenizer format that "
                    + "transformers saves with save_pretrained)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read the tokenizer: " + e.getMessage(), e);
        }
        TokenizerJsonCheck.check(file, bytes);   // a file the native library would panic on aborts the JVM
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
        try {
            return new Tokenizer(file, Sha256.of(bytes), HuggingFaceTokenizer.newInstance(file, options));
        } catch (IOException | RuntimeException e) {
            throw new ScalpelException(file + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    /** Whether the folder holds a tokenizer.json. */
    public static boolean existsIn(Path folder) {
        return Files.isRegularFile(folder.resolve("tokenizer.json"));
    }

    /** Token ids of {@code text}, with the special tokens the tokenizer's post-processor adds (a BOS, for many). */
    public long[] encode(String text) {
        return encode(text, true);
    }

    public long[] encode(String text, boolean addSpecialTokens) {
        try {
            Encoding e = tokenizer.encode(text, addSpecialTokens, false);
            return e.getIds();
        } catch (RuntimeException e) {
            // The native library reports a tokenizer.json it loaded but cannot apply (an unk_token missing from the
            // vocabulary, found by fuzzing) only when it encodes.
            throw new ScalpelException(file + ": cannot encode with this tokenizer: " + e.getMessage(), e);
        }
    }

    /** Text of {@code ids}, special tokens included. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    public Path file() {
        return file;
    }

    /**
     * SHA-256 of the tokenizer.json this tokenizer was loaded from: part of the key of every job whose result depends on
     * how texts were tokenized (a second moment, a harvest), since the same weights may come with another tokenizer.
     */
    public String sha256() {
        return sha256;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
