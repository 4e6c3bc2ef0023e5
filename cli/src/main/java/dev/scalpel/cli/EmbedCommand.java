package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.SentenceEmbedder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel embed MODEL --input FILE [--json]}: one sentence vector per line of a text file. Blank lines are
 * refused rather than skipped, so that vector N is always line N.
 */
@Command(name = "embed", description = {
    "Embed texts, one per line of a UTF-8 file, into sentence vectors with a BERT encoder: mean pooling over the",
    "tokens and L2 normalisation (or what the folder's sentence-transformers modules.json says). Blank lines are",
    "refused, so vector N is line N. With --json the last line printed is a JSON array of the vectors."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a BERT model folder, or minilm (all-MiniLM-L6-v2, exported once to "
            + "minilm/ in the Scalpel home, $SCALPEL_HOME or ~/.cache/scalpel)")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "UTF-8 text, one text per line")
    Path input;

    @Option(names = "--json", description = "end with one line holding a JSON array of the vectors")
    boolean json;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + SentenceEmbedder.DEFAULT_BATCH_SIZE,
            description = "texts per forward pass (default ${DEFAULT-VALUE}); the vectors do not depend on it")
    int batchSize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = readTexts(input);
        long start = System.nanoTime();
        Path folder = ModelArgument.resolve(model);
        try (SentenceEmbedder embedder = SentenceEmbedder.open(folder)) {
            long loaded = System.nanoTime();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    embedder.tokenizer().encode(texts.get(i));
                } catch (ScalpelException e) {
                    throw new ScalpelException(input + ": line " + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            List<float[]> vectors = embedder.embedAll(texts, batchSize);
            long done = System.nanoTime();
            out.printf("%s: %d text(s) embedded, dimension %d, in %.2f s (model loaded in %.2f s)%n", folder,
                    vectors.size(), embedder.dimension(), (done - loaded) / 1e9, (loaded - start) / 1e9);
            if (json) {
                out.println(Json.line(vectors));
            }
            return 0;
        }
    }

    /** The file's lines; blank lines and empty files are errors that name the file and the line. */
    static List<String> readTexts(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScalpelException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new ScalpelException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new ScalpelException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) {
            lines.set(0, lines.getFirst().substring(1));   // a byte-order mark is not text
        }
        if (lines.isEmpty()) {
            throw new ScalpelException(file + ": the file is empty; give one text per line");
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                throw new ScalpelException(file + ": line " + (i + 1) + " is blank; give one text per line (blank lines "
                        + "are refused so that vector N stays line N)");
            }
        }
        return lines;
    }
}
