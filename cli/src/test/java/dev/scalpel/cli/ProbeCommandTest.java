package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code scalpel probe} in-process on a 60-line JSONL set that word counts separate perfectly. */
class ProbeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of(System.getProperty("scalpel.fixtures",
            "../core/src/test/resources/fixtures"));
    private static final String[] SPAM = {"win", "free", "money", "prize", "click", "offer", "cash", "now"};
    private static final String[] HAM = {"meeting", "agenda", "project", "review", "notes", "schedule", "team", "draft"};

    @TempDir
    static Path dir;
    private static Path data;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void writeData() throws Exception {
        Random r = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean spam = i % 3 == 0;
            String[] words = spam ? SPAM : HAM;
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < 5 + r.nextInt(6); k++) {
                text.append(k == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            }
            String group = spam ? "spam" : i % 3 == 1 ? "easy-ham" : "hard-ham";
            lines.add(JSON.writeValueAsString(java.util.Map.of("id", "m" + i, "body", text.toString(),
                    "y", spam ? "spam" : "ham", "group", group)));
        }
        data = Files.write(dir.resolve("mail.jsonl"), lines);
    }

    static SparseAutoencoder randomSae(int dIn, int dSae) {
        Random r = new Random(9);
        NDManager m = NDManager.newBaseManager();
        float[] wEnc = new float[dIn * dSae];
        float[] wDec = new float[dSae * dIn];
        for (int i = 0; i < wEnc.length; i++) {
            wEnc[i] = (float) (r.nextGaussian() / Math.sqrt(dIn));
            wDec[i] = (float) r.nextGaussian();
        }
        return new SparseAutoencoder(SaeArchitecture.STANDARD, 0, false, SaeMetadata.unknown(), m,
                m.create(wEnc, new Shape(dIn, dSae)), m.create(wDec, new Shape(dSae, dIn)), m.zeros(new Shape(dSae)),
                m.zeros(new Shape(dIn)), null);
    }

    static Result run(ProbeCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return e instanceof ScalpelException || e instanceof IllegalArgumentException ? 2 : 1;
        });
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    private static void assertProbe(JsonNode p, int testSize) {
        // The bar is the majority-class predictor on the same test split (rows of the confusion matrix are the true
        // classes): accuracy = its share, macro-F1 = F1 of that class (2p / (1 + p)) over the number of classes.
        JsonNode matrix = p.path("test").path("confusion").path("matrix");
        long largest = 0;
        long all = 0;
        for (JsonNode row : matrix) {
            long n = 0;
            for (JsonNode c : row) {
                n += c.asLong();
            }
            largest = Math.max(largest, n);
            all += n;
        }
        double share = (double) largest / all;
        double majorityF1 = 2 * share / (1 + share) / matrix.size();
        double f1 = p.path("test").path("macro_f1").asDouble(Double.NaN);
        assertTrue(f1 > majorityF1 + 0.2 && f1 <= 1, "macro-F1 " + f1 + " against the majority class's " + majorityF1
                + ": the two vocabularies never overlap");
        double acc = p.path("test").path("accuracy").asDouble(Double.NaN);
        assertTrue(acc > share && acc <= 1, "accuracy " + acc + " against the majority class's " + share);
        double cv = p.path("cv").path("macro_f1_mean").asDouble(Double.NaN);
        assertTrue(cv > majorityF1 && cv <= 1, "CV macro-F1 " + cv);
        assertTrue(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0).contains(p.path("chosen_c").asDouble()));
        int total = 0;
        for (JsonNode row : p.path("test").path("confusion").path("matrix")) {
            for (JsonNode c : row) {
                total += c.asInt();
            }
        }
        assertEquals(testSize, total, "the confusion matrix counts every test example");
        assertEquals(5, p.path("cv").path("fold_macro_f1_by_c").path("1e-4").size());
        assertEquals(3, p.path("test_accuracy_by_group").size());
    }

    @Test
    void bertTinyWithAnSaeAndBothBaselines() throws Exception {
        // The SAE travels the real path: written as a SAELens folder, read back by the command's SaeLoader.
        Path saeFolder = dir.resolve("some-sae");
        try (SparseAutoencoder sae = randomSae(64, 96)) {
            dev.scalpel.interpret.sae.SaeWriter.save(sae, saeFolder);
        }
        Path report = dir.resolve("report-bert");
        Result r = run(new ProbeCommand(), "--model", FIXTURES.resolve("bert-tiny").toString(), "--hook", "blocks.1.hook_resid_post",
                "--sae", saeFolder.toString(), "--data", data.toString(), "--text-field", "body",
                "--label-field", "y", "--report", report.toString(), "--pooling", "topn:8", "--binarize", "0.5",
                "--max-tokens", "16", "--batch-size", "7");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode json = JSON.readTree(report.resolve("results.json").toFile());
        assertEquals(60, json.path("data").path("examples").asInt());
        assertEquals(20, json.path("data").path("class_counts").path("spam").asInt());
        assertEquals(12, json.path("split").path("test").asInt());
        assertEquals("topn:8", json.path("config").path("sae_pooling").asText());
        assertEquals(">0.5", json.path("config").path("sae_binarize").asText());
        assertEquals("mean", json.path("config").path("hidden_pooling").asText(), "an encoder's default");
        JsonNode probes = json.path("probes");
        assertEquals(List.of("sae", "hidden_state", "tfidf"), iterable(probes.fieldNames()));
        for (JsonNode p : probes) {
            assertProbe(p, 12);
        }
        assertEquals(96, probes.path("sae").path("features").asInt());
        assertEquals(64, probes.path("hidden_state").path("features").asInt());
        assertEquals(1.0, probes.path("tfidf").path("test").path("macro_f1").asDouble(), 0.0,
                "word counts separate this set perfectly");
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("<h2>Summary</h2>") && html.contains("true \\ predicted")
                && html.contains("accuracy: hard-ham"), html);
        assertTrue(r.out().contains("tfidf"), r.out());
        // A random SAE cannot reconstruct bert-tiny's activations; the command checks on the tokens it encodes.
        assertTrue(r.err().contains("warning: poor reconstruction: FVU"), r.err());
    }

    @Test
    void miniLmThroughItsEmbeddingTokenizerWithoutSae() throws Exception {
        Path report = dir.resolve("report-minilm");
        Result r = run(new ProbeCommand(), "--model", "minilm", "--hook", "blocks.2.hook_resid_post", "--data",
                data.toString(), "--text-field", "body", "--label-field", "y", "--report", report.toString(),
                "--hidden-pooling", "max", "--drop-special-tokens", "--json");
        assertEquals(0, r.code(), r.err() + r.out());
        // --json ends the output with what results.json holds.
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(JSON.readTree(report.resolve("results.json").toFile()), JSON.readTree(lines.getLast()));
        assertTrue(Files.exists(report.resolve("report.json")) && Files.exists(report.resolve("report.html")));
        JsonNode probes = JSON.readTree(report.resolve("results.json").toFile()).path("probes");
        assertEquals(List.of("hidden_state", "tfidf"), iterable(probes.fieldNames()));
        assertEquals(384, probes.path("hidden_state").path("features").asInt());
        for (JsonNode p : probes) {
            assertProbe(p, 12);
        }
        // MiniLM's pretrained representations tell these vocabularies apart on held-out texts.
        assertTrue(probes.path("hidden_state").path("test").path("macro_f1").asDouble() >= 0.9);
    }

    @Test
    void badOptionsAreReportedNotThrown() {
        Result r = run(new ProbeCommand(), "--model", FIXTURES.resolve("bert-tiny").toString(), "--hook",
                "blocks.1.hook_resid_post", "--data", data.toString(), "--text-field", "body", "--label-field", "y",
                "--report", dir.resolve("bad").toString(), "--pooling", "median");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown pooling 'median'"), r.err());
        Result missing = run(new ProbeCommand(), "--model", FIXTURES.resolve("bert-tiny").toString(), "--hook",
                "blocks.1.hook_resid_post", "--data", data.toString(), "--text-field", "text", "--label-field", "y",
                "--report", dir.resolve("bad2").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains(data + ": line 1: no field 'text'"), missing.err());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
