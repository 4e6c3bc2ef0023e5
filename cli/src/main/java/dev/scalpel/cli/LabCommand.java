package dev.scalpel.cli;

import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabManifest;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabShipper;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.build.ShippedManifest;
import dev.scalpel.lab.build.ShippedModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalpel lab build [NAME...]} and {@code scalpel lab eval NAME --json}: the lab's own models. */
@Command(name = "lab", description = "Build and evaluate the lab's models (trained here, saved in Hugging Face layout).",
        subcommands = {LabCommand.Build.class, LabCommand.Eval.class, LabCommand.Ship.class})
final class LabCommand {

    static LabProfile profile(boolean tiny) {
        return tiny ? LabProfile.TINY : LabProfile.DEFAULT;
    }

    @Command(name = "build", description = {
        "Train lab models from scratch (default: lab-lm and lab-mdlm; hours on 2 cores; --tiny: seconds).",
        "Scalpel ships both models trained; commands use your own build instead once you have one.",
        "Built models are cached under lab/ in the Scalpel home ($SCALPEL_HOME, default ~/.cache/scalpel) and reused; an interrupted build resumes where it stopped.",
        "The report compares the new model's metrics with the shipped one's."})
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "lab-lm, lab-mdlm")
        List<String> names = new ArrayList<>();

        @Option(names = "--tiny", description = "the tiny profile (tests, smoke runs)")
        boolean tiny;

        @Option(names = "--force", description = "rebuild even if built")
        boolean force;

        @Option(names = "--quiet", description = "no progress bar")
        boolean quiet;

        @Option(names = "--report", paramLabel = "DIR", description = "also copy each model's report (metrics, curves, datasheets) to DIR/NAME")
        Path report;

        @Option(names = "--seed", paramLabel = "N", description = "training seed: initial weights, data order, masks (default: ${DEFAULT-VALUE}; the data and its splits stay the same)")
        long seed = LabSpec.SEED;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<String> todo = names.isEmpty() ? LabSpec.NAMES : names;
            LabBuilder builder = new LabBuilder(LabHome.fromEnvironment(), quiet);
            for (String name : todo) {
                LabManifest m = builder.build(name, profile(tiny), force, seed);
                out.printf("%s: %,d parameters, %,d tokens in %.0f s (%,.0f tokens/s, MFU %.0f%%)%n  %s%n  model: %s%n", name,
                        m.parameters(), m.tokensTrained(), m.secondsTraining(), m.tokensPerSecond(),
                        100 * m.modelFlopsUtilization(), Json.line(snake(m.metrics())),
                        LabHome.fromEnvironment().model(name, profile(tiny), seed).resolve("model"));
                if (report != null) {
                    copyReport(LabHome.fromEnvironment().model(name, profile(tiny), seed).resolve("report"), report.resolve(name));
                }
            }
            return 0;
        }
    }

    @Command(name = "eval", description = {"Print a lab model's metrics (test split; the validation split's under 'validation').",
        "The model is your own build if you have one, else the shipped one; with --json the last line is one JSON object."})
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = {"lab-lm or lab-mdlm, or a folder holding a model derived from",
            "lab-lm (pruned, scaled, edited, quantized): it is evaluated here, on the metrics lab-lm was built with"})
        String name;

        @Option(names = "--split", defaultValue = "test", description = "a derived folder's split: test or validation "
                + "(default ${DEFAULT-VALUE})")
        String split;

        @Option(names = "--tiny", description = "the tiny profile's model")
        boolean tiny;

        @Option(names = "--json", description = "one JSON object on the last line")
        boolean json;

        @Override
        public Integer call() {
            if (java.nio.file.Files.isDirectory(Path.of(name))) {
                Map<String, Object> result = DerivedModelEvaluation.evaluate(Path.of(name), split, tiny);
                print(spec.commandLine().getOut(), result, json);
                return 0;
            }
            LabSpec.of(name, profile(tiny));
            LabHome home = LabHome.fromEnvironment();
            LabBuilder builder = new LabBuilder(home, true);
            Map<String, Object> result = new LinkedHashMap<>();
            if (builder.usesShipped(name, profile(tiny))) {
                ShippedManifest s = ShippedModels.of(home).manifest(name).orElseThrow();
                result.putAll(snake(s.metrics()));
                result.put("validation", snake(s.validationMetrics()));
                result.put("weights", "shipped (" + s.dtype() + ")");
                result.put("weight_fingerprint", s.weightFingerprint());
                List<Map<String, Object>> seeds = new ArrayList<>();
                for (ShippedManifest.SeedRun run : s.seeds()) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("seed", run.seed());
                    one.putAll(snake(run.metrics()));
                    seeds.add(one);
                }
                result.put("seeds", seeds);
                describe(result, s.build());
            } else {
                LabManifest m = builder.resolvedManifest(name, profile(tiny));
                result.putAll(snake(m.metrics()));
                if (m.validationMetrics() != null) {
                    result.put("validation", snake(m.validationMetrics()));
                }
                result.put("weights", "built here (float32)");
                describe(result, m);
            }
            print(spec.commandLine().getOut(), result, json);
            return 0;
        }

        static void print(PrintWriter out, Map<String, Object> result, boolean json) {
            if (!json) {
                result.forEach((k, v) -> out.printf("%-28s %s%n", k, v instanceof Map || v instanceof List ? Json.line(v) : v));
                return;
            }
            out.println(Json.line(result));
        }

        private static void describe(Map<String, Object> result, LabManifest m) {
            result.put("parameters", m.parameters());
            result.put("tokens_trained", m.tokensTrained());
            result.put("seed", m.seed());
            result.put("data_hash", m.dataHash());
            result.put("code_version", m.codeVersion());
        }
    }

    @Command(name = "ship", description = {"Prepare lab models for shipping in the repository (maintainers):",
        "builds the recipe with every --seeds (reused when built), stores the first seed's weights in bfloat16 shards",
        "under 19 MB, measures them again as shipped, and writes DIR/NAME with the report, the manifest and files.txt."})
    static final class Ship implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "1..*", description = "lab-lm, lab-mdlm")
        List<String> names = new ArrayList<>();

        @Option(names = "--seeds", split = ",", paramLabel = "N,N", description = "training seeds, the first shipped (default: 42,7)")
        List<Long> seeds = new ArrayList<>(List.of(LabSpec.SEED, 7L));

        @Option(names = "--to", paramLabel = "DIR", description = "default: ${DEFAULT-VALUE}")
        Path to = Path.of("lab/src/main/resources/dev/scalpel/lab/shipped");

        @Option(names = "--tiny", description = "the tiny profile (tests)")
        boolean tiny;

        @Override
        public Integer call() {
            LabHome home = LabHome.fromEnvironment();
            LabShipper shipper = new LabShipper(new LabBuilder(home, false), home);
            PrintWriter out = spec.commandLine().getOut();
            for (String name : names) {
                ShippedManifest m = shipper.ship(name, profile(tiny), seeds, to);
                out.printf("%s: shipped seed %d as %s in %s%n  %s%n", name, seeds.getFirst(), m.dtype(), to.resolve(name),
                        Json.line(snake(m.metrics())));
            }
            return 0;
        }
    }

    /** Metrics with snake_case keys, as the JSON output promises. */
    static Map<String, Object> snake(Object metrics) {
        Map<String, Object> camel = Json.MAPPER.convertValue(metrics,
                new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        Map<String, Object> out = new LinkedHashMap<>();
        camel.forEach((k, v) -> out.put(new PropertyNamingStrategies.SnakeCaseStrategy().translate(k), v));
        return out;
    }

    private static void copyReport(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                AtomicFiles.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
