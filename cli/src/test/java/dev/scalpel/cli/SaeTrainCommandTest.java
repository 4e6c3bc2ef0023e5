package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.interpret.harvest.HarvestManifest;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * scalpel sae train end to end on the tiny fixtures: harvest, train, save (through the given saver), splice. A harvest
 * resumed after a kill is tested with a real killed process in {@link KilledJobsTest}.
 */
class SaeTrainCommandTest {
    @TempDir
    Path dir;

    /** Records what it was given and writes the four SAELens tensors, as the real writer's weights file holds them. */
    static final class RecordingSaver implements BiConsumer<SparseAutoencoder, Path> {
        final List<String> saved = new ArrayList<>();

        @Override
        public void accept(SparseAutoencoder sae, Path folder) {
            saved.add(sae.architecture() + " " + sae.dIn() + "x" + sae.dSae() + " k=" + sae.k() + " hook="
                    + sae.metadata().hookName());
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SafetensorsWriter.write(folder.resolve("sae_weights.safetensors"), List.of(
                    SafetensorsWriter.f32("W_enc", sae.wEnc().getShape().getShape(), sae.wEnc().toFloatArray()),
                    SafetensorsWriter.f32("W_dec", sae.wDec().getShape().getShape(), sae.wDec().toFloatArray()),
                    SafetensorsWriter.f32("b_enc", sae.bEnc().getShape().getShape(), sae.bEnc().toFloatArray()),
                    SafetensorsWriter.f32("b_dec", sae.bDec().getShape().getShape(), sae.bDec().toFloatArray())),
                    Map.of());
        }
    }

    private static String run(RecordingSaver saver, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SaeTrainCommand(saver));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertEquals(0, code, err + "\n" + out);
        return out.toString();
    }

    private Path texts() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            lines.add("Line " + i + ": the quick brown fox jumps over " + (i % 5) + " lazy dogs near the river.");
        }
        Path file = dir.resolve("texts.txt");
        Files.write(file, lines);
        return file;
    }

    @Test
    void trainsATopKSaeOnACausalLmAndReusesItsFinishedHarvest() throws IOException {
        Path data = texts();
        Path out = dir.resolve("run");
        RecordingSaver saver = new RecordingSaver();
        String[] args = {"--model", CliTest.fixture("gpt2-tiny").toString(), "--hook", "blocks.0.hook_resid_post",
            "--data", data.toString(), "--architecture", "topk", "--d-sae", "32", "--k", "4", "--steps", "40",
            "--batch-size", "64", "--lr", "3e-3", "--log-every", "20", "--eval-texts", "8", "--shard-rows", "100",
            "--out", out.toString()};
        String text = run(saver, args);
        assertTrue(text.contains("step 40/40"), text);
        assertTrue(text.contains("with the SAE spliced in") && text.contains("recovered"), text);
        assertEquals(List.of("TOPK 16x32 k=4 hook=blocks.0.hook_resid_post"), saver.saved);
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("sae/sae_weights.safetensors"))) {
            assertEquals(List.of(32L, 16L), java.util.Arrays.stream(f.info("W_dec").shape()).boxed().toList());
        }
        HarvestManifest manifest = HarvestManifest.read(out.resolve("activations"));
        assertTrue(manifest.complete() && manifest.shards().size() > 1, "rows: " + manifest.rows());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("training.json").toFile());
        assertEquals("NEXT_TOKEN_LOSS", summary.path("splice").path("measure").asText());
        assertEquals(2, summary.path("history").size());
        assertEquals(4.0, summary.path("evaluation").path("l0").asDouble(), 0.0);

        byte[] firstShard = Files.readAllBytes(out.resolve("activations").resolve(HarvestManifest.shardName(0)));
        String again = run(saver, args);
        assertTrue(again.contains(String.format("%,d rows", manifest.rows())), again);
        assertEquals(2, saver.saved.size());
        assertTrue(java.util.Arrays.equals(firstShard,
                Files.readAllBytes(out.resolve("activations").resolve(HarvestManifest.shardName(0)))));
    }

    @Test
    void trainsAStandardSaeOnAnEncoder() throws IOException {
        Path data = texts();
        Path out = dir.resolve("bert");
        RecordingSaver saver = new RecordingSaver();
        String text = run(saver, "--model", CliTest.fixture("bert-tiny").toString(), "--hook",
                "blocks.1.hook_normalized_resid_post", "--data", data.toString(), "--architecture", "standard",
                "--d-sae", "96", "--l1", "1", "--steps", "40", "--batch-size", "64", "--lr", "3e-3", "--log-every",
                "10", "--eval-texts", "6", "--out", out.toString(), "--report", dir.resolve("bert-report").toString(),
                "--json");
        assertTrue(text.contains("lambda"), text);
        // One record of the run, three ways: training.json, the report folder's results.json, the --json line.
        JsonNode training = new ObjectMapper().readTree(out.resolve("training.json").toFile());
        assertEquals(training, new ObjectMapper().readTree(dir.resolve("bert-report/results.json").toFile()));
        assertEquals(training, new ObjectMapper().readTree(text.strip().lines().toList().getLast()));
        var report = dev.scalpel.core.report.ReportJson.read(Files.readString(dir.resolve("bert-report/report.json")));
        assertEquals(4, report.sections().getLast().blocks().size(), "loss, L0, FVU and dead latents over the steps");
        assertTrue(Files.readString(dir.resolve("bert-report/report.html")).contains("recovered"));
        assertTrue(text.contains("embedding cosine"), text);
        assertTrue(saver.saved.getFirst().startsWith(SaeArchitecture.STANDARD + " 64x96"), saver.saved.toString());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("training.json").toFile());
        assertEquals(6, summary.path("splice").path("count").asInt());
        assertEquals(2, summary.path("config").path("l1WarmupSteps").asInt(), "5% of 40 steps");
    }

    @Test
    void savesAFolderThatTheSaeLoaderReadsBack() throws IOException {
        Path out = dir.resolve("saved");
        CliTest.Result r = CliTest.scalpel("sae", "train", "--model", CliTest.fixture("llama-tiny").toString(), "--hook",
                "blocks.1.hook_resid_post", "--data", texts().toString(), "--architecture", "topk", "--d-sae", "48",
                "--k", "6", "--steps", "30", "--batch-size", "64", "--lr", "3e-3", "--eval-texts", "4",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        try (var sae = dev.scalpel.interpret.sae.SaeLoader.load(out.resolve("sae"))) {
            assertEquals(SaeArchitecture.TOPK, sae.architecture());
            assertEquals(6, sae.k());
            assertEquals(48, sae.dSae());
            assertEquals("blocks.1.hook_resid_post", sae.metadata().hookName());
            JsonNode summary = new ObjectMapper().readTree(out.resolve("training.json").toFile());
            assertEquals(6.0, summary.path("evaluation").path("l0").asDouble(), 0.0);
        }
    }
}
