package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.model.LinearModule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `scalpel neuro`: identify writes the set, prune zeroes exactly it in a saved folder, bad data names its line. */
class NeuroCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path tasks(Path dir) throws Exception {
        Files.writeString(dir.resolve("math.jsonl"), """
                {"question": "Tom has 3 apples and buys 4 more. How many apples does he have?", "answer": "3 + 4 = <<3+4=7>>7\\n#### 7"}
                {"question": "A box holds 6 pens. How many pens are in 2 boxes?", "answer": "6 * 2 = <<6*2=12>>12\\n#### 12"}
                """);
        Files.writeString(dir.resolve("prose.txt"), """
                The river ran slowly past the old mill, and the town slept.
                She opened the window to let the morning in.

                Nobody remembered who had planted the orchard.
                """);
        return dir;
    }

    @Test
    void identifyThenPruneZeroesExactlyTheSet(@TempDir Path dir) throws Exception {
        tasks(dir);
        String[] selection = {"--model", fixture("gpt2-tiny").toString(), "--target", dir.resolve("math.jsonl").toString(),
            "--general", dir.resolve("prose.txt").toString(), "--proportion", "0.05", "--samples", "6", "--seed", "3"};
        Run identified = run(concat(new String[] {"neuro", "identify", "--out", dir.resolve("set").toString()}, selection));
        assertEquals(0, identified.code(), identified.err());
        JsonNode set = JSON.readTree(dir.resolve("set/set.json").toFile());
        long entries = set.path("spread").path("entries").asLong();
        assertTrue(entries > 0 && entries <= set.path("target_top_k_entries").asLong(), set.toString());
        Map<String, long[]> indices = new HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("set/set.safetensors"))) {
            for (String name : f.names()) {
                indices.put(name, f.toLongs(name));
            }
        }
        assertEquals(entries, indices.values().stream().mapToLong(a -> a.length).sum());

        Run pruned = run(concat(new String[] {"neuro", "prune", "--out", dir.resolve("pruned").toString()}, selection));
        assertEquals(0, pruned.code(), pruned.err());
        assertTrue(pruned.out().contains(String.format("multiplied %,d weights by 0.0", entries)), pruned.out());
        try (LoadedModel original = LoadedModel.open(fixture("gpt2-tiny"));
             LoadedModel changed = LoadedModel.open(dir.resolve("pruned"))) {
            int differing = 0;
            for (LinearModule m : original.model().linearModules()) {
                float[] was = original.model().parameters().get(m.weight()).toFloatArray();
                float[] now = changed.model().parameters().get(m.weight()).toFloatArray();
                Set<Integer> chosen = new HashSet<>();
                for (long flat : indices.getOrDefault(m.name(), new long[0])) {
                    int o = (int) flat / m.inFeatures();
                    int i = (int) flat % m.inFeatures();
                    chosen.add(m.storedInByOut() ? i * m.outFeatures() + o : (int) flat);   // GPT-2 stores [in, out]
                }
                for (int k = 0; k < was.length; k++) {
                    if (chosen.contains(k)) {
                        assertEquals(0f, now[k], 0f, m.name() + " " + k);
                        differing += was[k] != 0 ? 1 : 0;
                    } else {
                        assertEquals(was[k], now[k], 0f, m.name() + " " + k);
                    }
                }
            }
            assertTrue(differing > 0);
        }
        assertTrue(Files.exists(dir.resolve("pruned/tokenizer.json")), "the saved folder loads with its tokenizer");

        Run random = run(concat(new String[] {"neuro", "prune", "--baseline", "random", "--out", dir.resolve("random").toString()},
                selection));
        assertEquals(0, random.code(), random.err());
        JsonNode r = JSON.readTree(dir.resolve("random/mathneuro.json").toFile());
        assertEquals(entries, r.path("weights_written").asLong());
        assertEquals(set.path("spread").path("by_layer"), r.path("spread").path("by_layer"), "same counts per matrix");
        assertNotEquals(Files.readString(dir.resolve("pruned/mathneuro.json")), Files.readString(dir.resolve("random/mathneuro.json")));

        Run wanda = run(concat(new String[] {"neuro", "identify", "--baseline", "wanda", "--out",
            dir.resolve("wanda").toString()}, selection));
        assertEquals(0, wanda.code(), wanda.err());
        assertEquals(set.path("target_top_k_entries").asLong(),
                JSON.readTree(dir.resolve("wanda/set.json").toFile()).path("spread").path("entries").asLong(),
                "the Wanda baseline is the target's whole top-K set");
        Run lape = run(concat(new String[] {"neuro", "identify", "--baseline", "lape", "--out",
            dir.resolve("lape").toString()}, selection));
        assertEquals(0, lape.code(), lape.err());
        JsonNode byType = JSON.readTree(dir.resolve("lape/set.json").toFile()).path("spread").path("by_matrix_type");
        byType.fieldNames().forEachRemaining(type -> assertTrue(type.equals("mlp_down") || byType.path(type).asLong() == 0,
                "LAPE's neurons are down-projection columns: " + byType));
    }

    @Test
    void aMalformedLineIsNamed(@TempDir Path dir) throws Exception {
        tasks(dir);
        Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{\"prompt\": \"no text field\"}\n");
        Run bad = run("neuro", "identify", "--model", fixture("gpt2-tiny").toString(), "--target",
                dir.resolve("bad.jsonl").toString(), "--general", dir.resolve("prose.txt").toString(), "--out",
                dir.resolve("out").toString());
        assertEquals(2, bad.code(), "bad input, not an internal failure");
        assertTrue(bad.err().contains("bad.jsonl:2: needs a \"text\" field"), bad.err());
    }

    @Test
    void evalScoresGsm8kAndMultipleChoiceFilesAndNamesABadLine(@TempDir Path dir) throws Exception {
        tasks(dir);
        Run gsm = run("neuro", "eval", "--model", fixture("gpt2-tiny").toString(), "--data",
                dir.resolve("math.jsonl").toString(), "--shots", "1", "--max-new-tokens", "8", "--json");
        assertEquals(0, gsm.code(), gsm.err());
        String[] lines = gsm.out().strip().split("\n");
        JsonNode r = JSON.readTree(lines[lines.length - 1]);
        assertEquals("gsm8k", r.path("kind").asText());
        assertEquals(1, r.path("shots").asInt());
        assertEquals(1, r.path("items").asInt(), "the shot is not scored");
        Files.writeString(dir.resolve("mc.jsonl"), """
                {"question": "Which is a color?", "choices": ["red", "seven"], "answer": 0}
                {"question": "Which is a number?", "choices": ["blue", "seven", "run"], "answer": 1}
                """);
        Run mc = run("neuro", "eval", "--model", fixture("gpt2-tiny").toString(), "--data", dir.resolve("mc.jsonl").toString(),
                "--json");
        assertEquals(0, mc.code(), mc.err());
        lines = mc.out().strip().split("\n");
        JsonNode m = JSON.readTree(lines[lines.length - 1]);
        assertEquals(2, m.path("items").asInt());
        double accuracy = m.path("accuracy").asDouble();
        assertTrue(accuracy == 0 || accuracy == 0.5 || accuracy == 1, m.toString());
        Files.writeString(dir.resolve("bad-mc.jsonl"), "{\"question\": \"q\", \"choices\": [\"a\"], \"answer\": 3}\n");
        Run bad = run("neuro", "eval", "--model", fixture("gpt2-tiny").toString(), "--data",
                dir.resolve("bad-mc.jsonl").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("bad-mc.jsonl:1: a multiple-choice line needs"), bad.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
