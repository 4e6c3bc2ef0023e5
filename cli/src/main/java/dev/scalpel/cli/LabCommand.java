package dev.scalpel.cli;

import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.lab.build.LabBuilder;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabManifest;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
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
        subcommands = {LabCommand.Build.class, LabCommand.Eval.class})
final class LabCommand {

    static LabProfile profile(boolean tiny) {
        return tiny ? LabProfile.TINY : LabProfile.DEFAULT;
    }

    @Command(name = "build", description = {
        "Build lab models (default: lab-lm and lab-mdlm; about 30 minutes on 2 cores; --tiny: seconds).",
        "Built models are cached under lab/ in the Scalpel home ($SCALPEL_HOME, default ~/.cache/scalpel) and reused; an interrupted build resumes."})
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

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<String> todo = names.isEmpty() ? LabSpec.NAMES : names;
            LabBuilder builder = new LabBuilder(LabHome.fromEnvironment(), quiet);
            for (String name : todo) {
                LabManifest m = builder.build(name, profile(tiny), force);
                out.printf("%s: %,d parameters, %,d tokens in %.0f s (%,.0f tokens/s, MFU %.0f%%)%n  %s%n  model: %s%n", name,
                        m.parameters(), m.tokensTrained(), m.secondsTraining(), m.tokensPerSecond(),
                        100 * m.modelFlopsUtilization(), Json.line(snake(m.metrics())), builder.modelFolder(name, profile(tiny)));
                if (report != null) {
                    copyReport(LabHome.fromEnvironment().model(name, profile(tiny)).resolve("report"), report.resolve(name));
                }
            }
            return 0;
        }
    }

    @Command(name = "eval", description = "Print a lab model's metrics; with --json the last line is one JSON object.")
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "lab-lm or lab-mdlm")
        String name;

        @Option(names = "--tiny", description = "the tiny profile's model")
        boolean tiny;

        @Option(names = "--json", description = "one JSON object on the last line")
        boolean json;

        @Override
        public Integer call() {
            LabSpec.of(name, profile(tiny));
            LabBuilder builder = new LabBuilder(LabHome.fromEnvironment(), true);
            if (!builder.isBuilt(name, profile(tiny))) {
                throw new ScalpelException(name + " is not built yet: run ./scalpel lab build " + name + (tiny ? " --tiny" : ""));
            }
            LabManifest m = builder.readManifest(LabHome.fromEnvironment().model(name, profile(tiny)));
            Map<String, Object> result = new LinkedHashMap<>(snake(m.metrics()));
            result.put("parameters", m.parameters());
            result.put("tokens_trained", m.tokensTrained());
            result.put("data_hash", m.dataHash());
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                result.forEach((k, v) -> out.printf("%-28s %s%n", k, v));
                return 0;
            }
            out.println(Json.line(result));
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
