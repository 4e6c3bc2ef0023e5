package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.io.SafetensorsFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command forms other tools rely on: inspect, run and generate, on every fixture. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result scalpel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    static long[] goldenLongs(String model, String key) {
        try (SafetensorsFile f = SafetensorsFile.open(fixture(model).resolve("golden.safetensors"))) {
            return f.toLongs(key);
        }
    }

    static String ids(long[] ids) {
        return String.join(",", Arrays.stream(ids).mapToObj(Long::toString).toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "gemma2-tiny", "mistral-tiny", "bert-tiny"})
    void inspectDescribesEveryFixture(String name) throws Exception {
        Result human = scalpel("inspect", fixture(name).toString());
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("blocks.{0..1}.hook_resid_post"), human.out());
        Result json = scalpel("inspect", fixture(name).toString(), "--json");
        JsonNode j = JSON.readTree(json.lastLine());
        assertEquals(2, j.get("layers").asInt());
        assertTrue(j.get("hookPoints").size() > 30);
        assertTrue(j.get("parameters").asLong() > 100_000);
        // Every block has the same linear modules, each naming a weight the checkpoint has and hooks the model offers.
        JsonNode modules = j.get("linear_modules");
        assertEquals(0, modules.size() % 2, "two layers");
        for (JsonNode lm : modules) {
            assertTrue(j.get("parameter_shapes").has(lm.get("weight").asText()), lm.toString());
            assertTrue(human.out().contains(lm.get("name").asText().replaceAll("\\.1\\.", ".0.")), lm.toString());
        }
        assertTrue(human.out().contains("MLP_DOWN"), human.out());
    }

    @Test
    void runWritesLogitsAndHooksThatMatchTransformers(@TempDir Path dir) {
        long[] ids = goldenLongs("llama-tiny", "input_ids");   // [2, 24]
        Path out = dir.resolve("out.safetensors");
        Result r = scalpel("run", fixture("llama-tiny").toString(), "--ids", ids(Arrays.copyOfRange(ids, 0, 24)),
                "--ids", ids(Arrays.copyOfRange(ids, 24, 48)), "--out", out.toString(),
                "--hook", "blocks.0.hook_resid_post", "--hook", "ln_final.hook_normalized");
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out);
             SafetensorsFile golden = SafetensorsFile.open(fixture("llama-tiny").resolve("golden.safetensors"))) {
            assertArrayEquals(new long[] {2, 24, 512}, f.info("logits").shape());
            assertClose(golden.toFloats("logits"), f.toFloats("logits"), 1e-4f);
            assertClose(golden.toFloats("hidden_states.1"), f.toFloats("blocks.0.hook_resid_post"), 1e-4f);
            assertClose(golden.toFloats("hidden_states.2"), f.toFloats("ln_final.hook_normalized"), 1e-4f);
            assertArrayEquals(ids, f.toLongs("input_ids"));
        }
    }

    @Test
    void runLeftPadsInputsOfDifferentLengthsWithoutChangingThem(@TempDir Path dir) {
        Path both = dir.resolve("both.safetensors");
        Path alone = dir.resolve("alone.safetensors");
        assertEquals(0, scalpel("run", fixture("gpt2-tiny").toString(), "--ids", "10,20,30,40,50", "--text", "Hello world",
                "--out", both.toString()).code());
        assertEquals(0, scalpel("run", fixture("gpt2-tiny").toString(), "--text", "Hello world", "--out", alone.toString()).code());
        try (SafetensorsFile b = SafetensorsFile.open(both); SafetensorsFile a = SafetensorsFile.open(alone)) {
            assertArrayEquals(new long[] {2, 5, 50257}, b.info("logits").shape());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 0, 0, 1, 1}, b.toLongs("attention_mask"));
            float[] all = b.toFloats("logits");
            float[] row = Arrays.copyOfRange(all, (5 + 3) * 50257, 10 * 50257);   // row 1, positions 3..4
            assertClose(a.toFloats("logits"), row, 1e-5f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "gemma2-tiny", "mistral-tiny"})
    void runReproducesTheGoldenLogitsOfEveryFixture(String name, @TempDir Path dir) {
        long[] ids = goldenLongs(name, "input_ids");
        int seq = ids.length / 2;
        Path out = dir.resolve("out.safetensors");
        List<String> args = new ArrayList<>(List.of("run", fixture(name).toString(), "--out", out.toString()));
        for (int row = 0; row < 2; row++) {
            args.add("--ids");
            args.add(ids(Arrays.copyOfRange(ids, row * seq, (row + 1) * seq)));
        }
        Result r = scalpel(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out);
             SafetensorsFile golden = SafetensorsFile.open(fixture(name).resolve("golden.safetensors"))) {
            float tolerance = name.contains("bf16") || name.contains("gemma") ? 1e-3f : 1e-4f;
            float scale = 1;
            for (float v : golden.toFloats("logits")) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertClose(golden.toFloats("logits"), f.toFloats("logits"), tolerance * scale);
        }
    }

    @Test
    void runOnAnEncoderWritesItsMaskedLmLogits(@TempDir Path dir) {
        Path out = dir.resolve("bert.safetensors");
        Result r = scalpel("run", fixture("bert-tiny").toString(), "--ids", "2,7,9,3", "--ids", "2,5,3", "--out", out.toString(),
                "--hook", "blocks.1.hook_normalized_resid_post");
        assertEquals(0, r.code(), r.err());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertArrayEquals(new long[] {2, 4, 512}, f.info("logits").shape());
            assertArrayEquals(new long[] {2, 4, 64}, f.info("blocks.1.hook_normalized_resid_post").shape());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "gemma2-tiny", "mistral-tiny"})
    void generateJsonEqualsTransformersGreedy(String name) throws Exception {
        long[] prompt = goldenLongs(name, "generate.prompt");
        long[] expected = goldenLongs(name, "generate.output");
        Result r = scalpel("generate", fixture(name).toString(), "--ids", ids(prompt), "--max-new-tokens", "10",
                "--greedy", "--ignore-eos", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        long[] got = new long[j.get("ids").size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = j.get("ids").get(i).asLong();
        }
        assertArrayEquals(expected, got);
    }

    @Test
    void generateFromTextMatchesTransformersText() throws Exception {
        JsonNode golden = JSON.readTree(fixture("gpt2-tiny").resolve("golden_text_generate.json").toFile());
        Result r = scalpel("generate", fixture("gpt2-tiny").toString(), "--prompt", golden.get("prompt").asText(),
                "--max-new-tokens", "8", "--greedy", "--json");
        JsonNode j = JSON.readTree(r.lastLine());
        assertEquals(golden.get("output_text").asText(), j.get("text").asText());
        assertEquals(golden.get("output_ids").size(), j.get("ids").size());
        Result human = scalpel("generate", fixture("gpt2-tiny").toString(), "--prompt", golden.get("prompt").asText(),
                "--max-new-tokens", "8", "--greedy");
        assertTrue(human.out().contains(golden.get("output_text").asText()), human.out());
    }

    @Test
    void sampledGenerationIsReproducibleBySeed() {
        String[] args = {"generate", fixture("qwen2-tiny").toString(), "--ids", "5,6,7", "--max-new-tokens", "12",
            "--temperature", "1.2", "--top-k", "0", "--seed", "9", "--json"};
        Result first = scalpel(args);
        Result second = scalpel(args);
        assertEquals(0, first.code(), first.err());
        assertEquals(0, second.code(), second.err());
        // Two empty or failed runs would also agree: the output must be the generation itself.
        JsonNode ids;
        try {
            ids = JSON.readTree(first.lastLine()).get("ids");
        } catch (java.io.IOException e) {
            throw new AssertionError("the last line is not the JSON result: " + first.lastLine(), e);
        }
        assertEquals(3 + 12, ids.size(), first.lastLine());
        assertEquals(first.lastLine(), second.lastLine());
    }

    @Test
    void badInputGetsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Result missing = scalpel("inspect", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"mamba\"}");
        Result unknown = scalpel("inspect", dir.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("mamba"), unknown.err());
        Result badIds = scalpel("generate", fixture("llama-tiny").toString(), "--ids", "1,x", "--max-new-tokens", "2");
        assertEquals(2, badIds.code());
        assertTrue(badIds.err().contains("1,x"), badIds.err());
        Result badHook = scalpel("run", fixture("llama-tiny").toString(), "--ids", "1,2", "--out",
                dir.resolve("o.safetensors").toString(), "--hook", "blocks.9.hook_resid_post");
        assertEquals(2, badHook.code());
        assertTrue(badHook.err().contains("blocks.9.hook_resid_post"), badHook.err());
        Result encoder = scalpel("generate", fixture("bert-tiny").toString(), "--ids", "1,2", "--max-new-tokens", "2");
        assertEquals(2, encoder.code());
    }

    @Test
    void tourRunsEndToEndAndWritesItsReport(@TempDir Path dir) throws Exception {
        String previous = System.getProperty("scalpel.home");
        System.setProperty("scalpel.home", dir.resolve("home").toString());
        Result r;
        try {
            r = scalpel("tour", "--quick", "--report", dir.resolve("report").toString(), "--cache", dir.resolve("cache").toString());
        } finally {
            if (previous == null) {
                System.clearProperty("scalpel.home");
            } else {
                System.setProperty("scalpel.home", previous);
            }
        }
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.size(dir.resolve("report/report.html")) > 2000);
        // The lab's metrics are a labeled table, one row per number, never a JSON object in a cell.
        dev.scalpel.core.report.Report report = dev.scalpel.core.report.ReportJson.read(
                Files.readString(dir.resolve("report/report.json")));
        var labMetrics = report.sections().stream().flatMap(s -> s.blocks().stream())
                .filter(b -> b instanceof dev.scalpel.core.report.Table t && t.label().startsWith("lab-lm's metrics"))
                .map(b -> (dev.scalpel.core.report.Table) b).findFirst().orElseThrow();
        assertTrue(labMetrics.rows().stream().anyMatch(row -> row.getFirst().formatted().equals("fact_recall")),
                labMetrics.toString());
        assertTrue(labMetrics.rows().stream().noneMatch(row -> row.get(1).formatted().contains("{")), labMetrics.toString());
        assertTrue(!Files.readString(dir.resolve("report/report.html")).contains("{&quot;"), "no raw JSON in the page");
        JsonNode results = JSON.readTree(dir.resolve("report/results.json").toFile());
        assertTrue(results.get("batch.equal_to_alone").asBoolean());
        assertTrue(results.get("edit").get("reload_identical").asBoolean());
        assertTrue(results.has("lab.lab-lm") && results.get("lab.lab-lm").has("fact_recall"));
        assertTrue(results.has("edit_fact"), "the tour edits a fact");
        JsonNode probe = results.get("sae_probe").get("test_macro_f1");
        for (String kind : List.of("sae", "hidden_state", "tfidf")) {
            double f1 = probe.get(kind).asDouble();
            assertTrue(f1 > 0.5 && f1 <= 1.0, kind + " macro-F1 " + f1 + ": real emails are far from chance");
        }
        double autograd = results.get("differentiate").get("autograd").asDouble();
        double numeric = results.get("differentiate").get("finite_difference").asDouble();
        assertEquals(autograd, numeric, 0.05 * Math.abs(autograd) + 1e-3);
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        List<Float> unused = new ArrayList<>();
        assertTrue(worst <= tolerance, "max abs difference " + worst + unused);
    }
}
