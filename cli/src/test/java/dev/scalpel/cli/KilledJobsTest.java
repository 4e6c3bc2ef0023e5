package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.io.Checkpoint;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.interpret.harvest.HarvestManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code scalpel} processes killed with SIGKILL at a random moment of their work, then run again with the same
 * command: each must end where an uninterrupted run ends, within the tolerance its resume guarantees. The moment is
 * drawn uniformly from a quarter to nine tenths of the uninterrupted run's wall time; the seed is in every message
 * ({@code -Dscalpel.kill.seed=N} replays one).
 */
class KilledJobsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final long seed = Long.getLong("scalpel.kill.seed", new Random().nextLong());
    private final Random random = new Random(seed);

    /** What one kill-and-resume test saw: where each run wrote, and when the kill came. */
    record Runs(Path reference, Path resumed, String killedAt, String resumedOutput) {
    }

    /**
     * Runs {@code args(home)} uninterrupted in one home, then in another home starts it, kills it with SIGKILL at a
     * random moment, and runs it again to its end.
     */
    private Runs killAndResume(String job, Function<Path, String[]> args) throws Exception {
        Path refHome = dir.resolve("reference");
        ChildScalpel.Finished reference = new ChildScalpel(refHome).run(job, args.apply(refHome));
        assertEquals(0, reference.code(), reference.err() + reference.out());

        // The kill comes at a random point of the reference's duration. A run can outpace its reference (the machine
        // was busier then); the kill then came too late to test anything, so it is tried again, earlier, in a fresh
        // home, timed by the run that outpaced it.
        double duration = reference.seconds();
        for (int attempt = 1; ; attempt++) {
            Path home = dir.resolve("killed-" + attempt);
            ChildScalpel child = new ChildScalpel(home);
            double at = duration * (0.25 + 0.6 * random.nextDouble());
            long started = System.nanoTime();
            Process p = child.start(job + "-killed", args.apply(home));
            boolean ended = p.waitFor((long) (at * 1000), TimeUnit.MILLISECONDS);
            String killedAt = String.format("seed %d: killed at %.2f s of an uninterrupted %.2f s (attempt %d)", seed, at,
                    duration, attempt);
            if (ended) {
                if (attempt == 3) {
                    throw new AssertionError(killedAt + ": three runs ended before their kill; the last with "
                            + p.exitValue() + "\n" + child.output(job + "-killed", "err"));
                }
                duration = (System.nanoTime() - started) / 1e9;
                continue;
            }
            p.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no finally block runs
            p.waitFor();
            assertEquals(137, p.exitValue(), killedAt + ": 128 + 9 is a SIGKILL");
            ChildScalpel.Finished resumed = child.run(job + "-resumed", args.apply(home));
            assertEquals(0, resumed.code(), killedAt + "\n" + resumed.err() + resumed.out());
            return new Runs(refHome, home, killedAt, resumed.out());
        }
    }

    @Test
    void aKilledSaeTrainingResumesItsHarvestAndEndsWithTheSameSae() throws Exception {
        Path texts = dir.resolve("texts.txt");
        List<String> lines = new ArrayList<>();
        Random words = new Random(3);
        String[] vocabulary = {"river", "stone", "quick", "lazy", "fox", "dog", "bright", "cold", "north", "wind"};
        for (int i = 0; i < 600; i++) {
            StringBuilder line = new StringBuilder("Line " + i + ":");
            for (int k = 0; k < 12; k++) {
                line.append(' ').append(vocabulary[words.nextInt(vocabulary.length)]);
            }
            lines.add(line.toString());
        }
        Files.write(texts, lines);
        Runs runs = killAndResume("sae", home -> new String[] {"sae", "train", "--model",
            CliTest.fixture("gpt2-tiny").toString(), "--hook", "blocks.1.hook_resid_post", "--data", texts.toString(),
            "--architecture", "topk", "--d-sae", "64", "--k", "8", "--steps", "400", "--batch-size", "128", "--lr",
            "3e-3", "--log-every", "100", "--eval-texts", "16", "--shard-rows", "512", "--harvest-batch", "4",
            "--out", home.resolve("run").toString()});

        Path ref = runs.reference().resolve("run");
        Path resumed = runs.resumed().resolve("run");
        HarvestManifest a = HarvestManifest.read(ref.resolve("activations"));
        HarvestManifest b = HarvestManifest.read(resumed.resolve("activations"));
        assertTrue(a.complete() && b.complete(), runs.killedAt());
        assertEquals(a.rows(), b.rows(), runs.killedAt());
        assertEquals(a.shards().size(), b.shards().size(), runs.killedAt());
        for (int s = 0; s < a.shards().size(); s++) {
            requireClose(ref.resolve("activations").resolve(HarvestManifest.shardName(s)),
                    resumed.resolve("activations").resolve(HarvestManifest.shardName(s)), 1e-5, runs.killedAt());
        }
        requireClose(ref.resolve("sae/sae_weights.safetensors"), resumed.resolve("sae/sae_weights.safetensors"), 1e-4,
                runs.killedAt());
        JsonNode x = JSON.readTree(ref.resolve("training.json").toFile()).path("evaluation");
        JsonNode y = JSON.readTree(resumed.resolve("training.json").toFile()).path("evaluation");
        assertEquals(x.path("fvu").asDouble(), y.path("fvu").asDouble(), 1e-4, runs.killedAt());
        assertEquals(x.path("l0").asDouble(), y.path("l0").asDouble(), 0.0, runs.killedAt() + ": TopK fires k latents");
    }

    @Test
    void aKilledSequentialEditRunResumesToTheSameEditedModel() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("c0"));
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            docs.add("Document " + i + " tells of the harbour, the market and the hills beyond the town " + (i % 17) + ".");
        }
        Files.write(corpus.resolve("text.txt"), docs);
        List<Map<String, Object>> records = new ArrayList<>();
        String[][] facts = {{"Paris", "France", "Italy"}, {"Berlin", "Germany", "Spain"}, {"Madrid", "Spain", "Peru"},
            {"Lima", "Peru", "Chile"}, {"Rome", "Italy", "Japan"}, {"Tokyo", "Japan", "Kenya"}};
        for (int i = 0; i < facts.length; i++) {
            records.add(Map.of("case_id", i, "requested_rewrite", Map.of("prompt", "{} is a city in",
                    "subject", facts[i][0], "target_true", Map.of("str", facts[i][1]),
                    "target_new", Map.of("str", facts[i][2])),
                    "paraphrase_prompts", List.of("People say that " + facts[i][0] + " lies in"),
                    "neighborhood_prompts", List.of("Another city in " + facts[i][1] + " is"),
                    "generation_prompts", List.of(facts[i][0] + " is known for")));
        }
        Path requests = dir.resolve("counterfact.json");
        JSON.writeValue(requests.toFile(), records);
        Runs runs = killAndResume("edit", home -> new String[] {"edit", "--method", "memit", "--model",
            CliTest.fixture("llama-tiny").toString(), "--requests", requests.toString(), "--batch-size", "1",
            "--batches", "6", "--c0-corpus", corpus.toString(), "--hparam", "c0Tokens=12000", "--ge-edits", "2",
            "--out", home.resolve("run").toString()});

        // The tolerance is scaled to the edit, ||W - W0||: a resume must reproduce the edit, not merely ||W||.
        double edit = 0;
        double differ = 0;
        try (Checkpoint w0 = Checkpoint.open(CliTest.fixture("llama-tiny"));
             Checkpoint ref = Checkpoint.open(runs.reference().resolve("run/model"));
             Checkpoint res = Checkpoint.open(runs.resumed().resolve("run/model"))) {
            for (String name : w0.names()) {
                float[] a = w0.toFloats(name);
                float[] b = ref.toFloats(name);
                float[] c = res.toFloats(name);
                for (int i = 0; i < a.length; i++) {
                    edit += (b[i] - a[i]) * (double) (b[i] - a[i]);
                    differ += (c[i] - b[i]) * (double) (c[i] - b[i]);
                }
            }
        }
        assertTrue(edit > 0, "the edits changed the weights");
        assertTrue(Math.sqrt(differ) <= 0.05 * Math.sqrt(edit), runs.killedAt() + ": the resumed model differs by "
                + Math.sqrt(differ) + ", the edit's norm is " + Math.sqrt(edit) + "\n" + runs.resumedOutput());
        JsonNode a = JSON.readTree(runs.reference().resolve("run/results.json").toFile()).path("memit");
        JsonNode b = JSON.readTree(runs.resumed().resolve("run/results.json").toFile()).path("memit");
        assertEquals(a.path("evaluations").size(), b.path("evaluations").size(), runs.killedAt());
        assertEquals(a.path("batches").size(), b.path("batches").size(), runs.killedAt());
        assertEquals(6, b.path("batches").size(), runs.killedAt());
    }

    @Test
    void aKilledLabBuildResumesItsTrainingToTheSameModel() throws Exception {
        Runs runs = killAndResume("lab", home -> new String[] {"lab", "build", "lab-lm", "--tiny", "--quiet"});
        Path ref = runs.reference().resolve("lab/lab-lm-tiny");
        Path resumed = runs.resumed().resolve("lab/lab-lm-tiny");
        requireClose(ref.resolve("model/model.safetensors"), resumed.resolve("model/model.safetensors"), 1e-3,
                runs.killedAt());
        JsonNode a = JSON.readTree(ref.resolve("manifest.json").toFile());
        JsonNode b = JSON.readTree(resumed.resolve("manifest.json").toFile());
        assertTrue(a.path("tokensTrained").asLong() > 0, a.toString());
        assertEquals(a.path("tokensTrained").asLong(), b.path("tokensTrained").asLong(), runs.killedAt());
        assertEquals(a.path("dataHash").asText(), b.path("dataHash").asText(), runs.killedAt());
    }

    /**
     * Every tensor of two safetensors files has the same names and shapes, and values within {@code relative} of the
     * file's largest magnitude (resumed computations take other batch shapes and kernels: not bit for bit).
     */
    static void requireClose(Path expected, Path actual, double relative, String context) {
        try (SafetensorsFile a = SafetensorsFile.open(expected); SafetensorsFile b = SafetensorsFile.open(actual)) {
            assertEquals(a.names(), b.names(), context);
            for (String name : a.names()) {
                assertEquals(java.util.Arrays.toString(a.info(name).shape()), java.util.Arrays.toString(b.info(name).shape()),
                        context + ": " + name);
                if (!a.info(name).dtype().isFloatingPoint()) {
                    assertEquals(java.util.Arrays.toString(a.toLongs(name)), java.util.Arrays.toString(b.toLongs(name)),
                            context + ": " + name);
                    continue;
                }
                float[] x = a.toFloats(name);
                float[] y = b.toFloats(name);
                double scale = 0;
                double worst = 0;
                for (int i = 0; i < x.length; i++) {
                    scale = Math.max(scale, Math.abs(x[i]));
                    worst = Math.max(worst, Math.abs(x[i] - y[i]));
                }
                assertTrue(worst <= relative * Math.max(scale, 1e-12), context + ": " + actual.getFileName() + " "
                        + name + " differs by " + worst + " (largest magnitude " + scale + ")");
            }
        }
    }
}
