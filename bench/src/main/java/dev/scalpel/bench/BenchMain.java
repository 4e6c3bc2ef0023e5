package dev.scalpel.bench;

import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.run.Machine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.scalpel.core.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./scalpel bench [--only generation,training] [--repeats N] [--out FILE]}: runs the side-by-side benchmarks in
 * one process on this machine and writes their results, with the machine's description, as JSON.
 * {@code ./scalpel bench --soak N} runs the NaN soak instead ({@link SoakBench}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.init();
        Path out = Path.of("bench-results.json");
        Path models = ScalpelHome.fromEnvironment().benchModels();
        Set<String> only = Set.of("embedding", "generation", "quantized", "training", "editing", "sae");
        int repeats = 3;
        int soakRuns = 0;
        int soakSteps = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--models" -> models = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].split(","));
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--soak" -> soakRuns = Integer.parseInt(args[++i]);
                case "--soak-steps" -> soakSteps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --only embedding,generation,training,editing,sae --repeats N --out FILE --models DIR,"
                        + " or --soak RUNS [--soak-steps S] --out FILE)");
            }
        }
        if (soakRuns > 0) {
            // The NaN soak alone: N tiny trainings with a collection between every forward and backward pass.
            SoakBench.Result soak = SoakBench.run(soakRuns, soakSteps);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("date", Instant.now().toString());
            json.put("machine", Machine.describe(ai.djl.pytorch.jni.JniUtils.getNumThreads()));
            json.put("soak", soak);
            AtomicFiles.writeJson(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), out, json);
            System.out.println(soak);
            System.out.println("wrote " + out.toAbsolutePath());
            return;
        }
        Files.createDirectories(models);
        List<Measurement> results = new ArrayList<>();
        Path gpt2 = BenchCheckpoints.ensure(models, "gpt2-small-random", BenchCheckpoints.gpt2SmallConfig());
        if (only.contains("embedding")) {
            results.addAll(report(EmbeddingBench.run(repeats)));
        }
        if (only.contains("generation")) {
            Path llama = BenchCheckpoints.ensure(models, "llama-150m-random", BenchCheckpoints.llama150mConfig());
            results.addAll(report(GenerationBench.run("gpt2-small", gpt2, BenchCheckpoints.hubNamedCopy(gpt2, models), 50257, repeats)));
            results.addAll(report(GenerationBench.run("llama-150m", llama, llama, 32000, repeats)));
        }
        if (only.contains("quantized")) {
            Path llama = BenchCheckpoints.ensure(models, "llama-150m-random", BenchCheckpoints.llama150mConfig());
            results.addAll(report(QuantizedDecodeBench.run("gpt2-small", gpt2, BenchCheckpoints.hubNamedCopy(gpt2, models),
                    models, 50257, repeats)));
            results.addAll(report(QuantizedDecodeBench.run("llama-150m", llama, llama, models, 32000, repeats)));
        }
        if (only.contains("training")) {
            results.addAll(report(TrainingBench.run(gpt2, repeats)));
        }
        if (only.contains("editing")) {
            results.addAll(report(EditBench.run("gpt2-small", gpt2, List.of(3, 4, 5))));
            Path labLm = ScalpelHome.fromEnvironment().lab().resolve("lab-lm").resolve("model");
            if (Files.exists(labLm)) {
                results.addAll(report(EditBench.run("lab-lm", labLm, List.of(1, 2))));
            } else {
                System.out.println("lab-lm is not built (./scalpel lab build lab-lm); skipping its editing benchmark");
            }
        }
        if (only.contains("sae")) {
            results.addAll(report(SaeBench.run(repeats)));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", Instant.now().toString());
        json.put("machine", Machine.describe(ai.djl.pytorch.jni.JniUtils.getNumThreads()));
        json.put("results", results);
        AtomicFiles.writeJson(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT), out, json);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static List<Measurement> report(List<Measurement> ms) {
        for (Measurement m : ms) {
            System.out.printf("%-40s %-20s %10.2f %s%n", m.benchmark(), m.engine(), m.value(), m.unit());
        }
        return ms;
    }
}
