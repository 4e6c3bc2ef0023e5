package dev.scalpel.cli;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.SentenceEmbedder;
import dev.scalpel.core.text.Corpus;
import java.io.PrintWriter;
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
    "Embed texts, one per line of a UTF-8 file (of a .jsonl(.gz) file: its \"text\" field), into sentence vectors",
    "with a BERT encoder: mean pooling over the tokens and L2 normalization (or what the folder's",
    "sentence-transformers modules.json says). Blank lines are refused, so vector N is line N. With --json the last",
    "line printed is a JSON array of the vectors."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a BERT model folder, or minilm (all-MiniLM-L6-v2, exported once to "
            + "minilm/ in the Scalpel home, $SCALPEL_HOME or ~/.cache/scalpel)")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "texts read as lines: one text "
            + "per line of UTF-8 text, or of a .jsonl(.gz) file (its \"text\" field); blank lines are refused")
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

    /** The file's texts, one per line; blank lines and empty files are errors that name the file (and the line). */
    static List<String> readTexts(Path file) {
        return Corpus.read(file, Corpus.Reading.lines().refusingBlankLines()).texts();
    }
}
