package dev.scalpel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.qid.QidFit;
import dev.scalpel.compress.qid.QidLadder;
import dev.scalpel.compress.qid.QidLaw;
import dev.scalpel.compress.qid.QidObservation;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.io.ScalpelHome;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalpel qid ladder SPEC} and {@code scalpel qid fit RESULTS}: the QiD ladder and its scaling-law fit. */
@Command(name = "qid", description = "Quantization-induced degradation: measure a ladder of checkpoints, fit the law.",
        subcommands = {QidCommand.Ladder.class, QidCommand.Fit.class})
final class QidCommand {

    /** The fit of a results file's cells, both ways, with intervals and the paper's two uses. */
    static Map<String, Object> fits(List<QidObservation> observations, int resamples, PrintWriter console) {
        Map<String, Object> out = new LinkedHashMap<>();
        double largest = observations.stream().mapToDouble(QidObservation::parameters).max().orElseThrow();
        for (QidFit.Method method : QidFit.Method.values()) {
            QidFit.Result r = QidFit.fitWithIntervals(observations, method, resamples, 0);
            QidLaw law = r.law();
            Map<String, Object> fit = new LinkedHashMap<>();
            fit.put("law", law);
            fit.put("intervals", Map.of("k", r.intervals().get(0), "alpha", r.intervals().get(1), "beta",
                    r.intervals().get(2), "gamma", r.intervals().get(3)));
            fit.put("observations", r.used());
            fit.put("left_out_nonpositive", r.leftOut());
            fit.put("log_r2", r.logR2());
            Map<String, Object> projections = new LinkedHashMap<>();
            for (int bits : new int[] {2, 3, 4, 8}) {
                double at = law.predict(largest, 1e14, bits);
                projections.put(bits + "-bit", Map.of("qid", at, "interval",
                        r.interval(l -> l.predict(largest, 1e14, bits))));
            }
            fit.put("projection_100T_tokens_largest_model", projections);
            out.put(method.name().toLowerCase(Locale.ROOT), fit);
            console.printf(Locale.ROOT, "%-10s alpha %.4f [%.4f, %.4f]  beta %.4f [%.4f, %.4f]  gamma %.4f [%.4f, %.4f]"
                            + "  k %.4g  (paper: alpha %.4f, beta %.4f, gamma %.4f; log R2 %.3f, %d points)%n",
                    method.name().toLowerCase(Locale.ROOT), law.alpha(), r.intervals().get(1).low(),
                    r.intervals().get(1).high(), law.beta(), r.intervals().get(2).low(), r.intervals().get(2).high(),
                    law.gamma(), r.intervals().get(3).low(), r.intervals().get(3).high(), law.k(), QidLaw.PAPER.alpha(),
                    QidLaw.PAPER.beta(), QidLaw.PAPER.gamma(), r.logR2(), r.used());
        }
        return out;
    }

    /**
     * The fits of each quantization method's cells on their own (the law's exponents belong to a method: RTN and GPTQ
     * degrade differently, and one law over both would describe neither); a method whose cells identify no law gets
     * the reason instead.
     */
    static Map<String, Object> fitsByMethod(Map<String, List<QidObservation>> byMethod, int resamples,
                                            PrintWriter console) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : byMethod.entrySet()) {
            console.println(e.getKey() + " (" + e.getValue().size() + " cells):");
            try {
                out.put(e.getKey(), fits(e.getValue(), resamples, console));
            } catch (ScalpelException ex) {
                console.println("  no fit: " + ex.getMessage());
                out.put(e.getKey(), Map.of("no_fit", ex.getMessage()));
            }
        }
        return out;
    }

    static Map<String, List<QidObservation>> byMethod(List<QidLadder.Cell> cells) {
        Map<String, List<QidObservation>> out = new LinkedHashMap<>();
        cells.forEach(c -> out.computeIfAbsent(c.method(), k -> new ArrayList<>()).add(c.observation()));
        return out;
    }

    /**
     * A ladder's token streams from the lab's prose: calibration from the training split (four times the GPTQ windows'
     * tokens, so the windows drawn from it differ), held-out from the test split.
     */
    record ProseTokens(int[] calibration, int[] heldOut) {
        static ProseTokens of(Tokenizer tokenizer, LabCorpus lab, QidLadder.Config config, int heldOutTokens) {
            return new ProseTokens(
                    TokenStream.of(tokenizer, lab.prose().passages().train().stream().map(p -> p.text()).toList(),
                            4L * config.calibrationWindows() * config.window()),
                    TokenStream.of(tokenizer, lab.prose().passages().test().stream().map(p -> p.text()).toList(),
                            heldOutTokens));
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": not JSON: " + e.getMessage());
        }
    }

    @Command(name = "ladder", description = {
        "Quantize every checkpoint of a ladder at every width with every method and measure its QiD (held-out loss of",
        "the quantized minus the full-precision model, on the lab's held-out prose); then fit the law. Resumable:",
        "finished cells live in --work. SPEC is JSON: {\"models\": [{\"name\": \"s\", \"checkpoints\": \"DIR\"}],",
        "\"bits\": [2,3,4,8], \"methods\": [\"rtn\",\"gptq\"], \"group_size\": 128, \"calibration_windows\": 32,",
        "\"window\": 256, \"held_out_tokens\": 65536}; DIR holds a training run's tokens-N folders."})
    static final class Ladder implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SPEC", description = "the ladder's JSON specification")
        Path specFile;

        @Option(names = "--report", required = true, paramLabel = "DIR", description = "where results.json goes")
        Path report;

        @Option(names = "--work", description = "finished cells (default reproductions/qid in the Scalpel home)")
        Path work = ScalpelHome.fromEnvironment().reproductions("qid");

        @Option(names = "--resamples", defaultValue = "1000", description = "bootstrap resamples (default ${DEFAULT-VALUE})")
        int resamples;

        @Override
        public Integer call() throws IOException {
            PrintWriter console = spec.commandLine().getOut();
            JsonNode json = readJson(specFile);
            List<QidLadder.Checkpoint> checkpoints = new ArrayList<>();
            for (JsonNode m : json.path("models")) {
                if (!m.path("name").isTextual() || !m.path("checkpoints").isTextual()) {
                    throw new ScalpelException(specFile + ": each of \"models\" needs a \"name\" and a \"checkpoints\" folder");
                }
                Path folder = specFile.toAbsolutePath().getParent().resolve(m.path("checkpoints").asText());
                checkpoints.addAll(QidLadder.ladder(m.path("name").asText(), folder));
            }
            if (checkpoints.isEmpty()) {
                throw new ScalpelException(specFile + ": \"models\" lists no model");
            }
            List<Integer> bits = new ArrayList<>();
            json.path("bits").forEach(b -> bits.add(b.asInt()));
            List<ModelQuantizer.Method> methods = new ArrayList<>();
            json.path("methods").forEach(m -> methods.add(ModelQuantizer.Method.parse(m.asText())));
            var config = new QidLadder.Config(bits.isEmpty() ? List.of(2, 3, 4, 8) : bits,
                    methods.isEmpty() ? List.of(ModelQuantizer.Method.RTN, ModelQuantizer.Method.GPTQ) : methods,
                    json.path("group_size").asInt(128), json.path("calibration_windows").asInt(32),
                    json.path("window").asInt(256));
            int heldOutTokens = json.path("held_out_tokens").asInt(65536);
            // Every checkpoint of a ladder shares its tokenizer: the first one's reads the text.
            Tokenizer tokenizer = Tokenizer.load(checkpoints.getFirst().folder());
            ProseTokens prose = ProseTokens.of(tokenizer, LabCorpus.build(LabSpec.SEED, LabProfile.DEFAULT.corpus()), config,
                    heldOutTokens);
            var cells = new QidLadder(config, prose.calibration(), prose.heldOut(), work, console::println).run(checkpoints);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("spec", json);
            results.put("cells", cells);
            results.put("fits", fitsByMethod(byMethod(cells), resamples, console));
            AtomicFiles.writeJson(Json.MAPPER.writerWithDefaultPrettyPrinter(), report.resolve("results.json"), results);
            console.println("wrote " + report.resolve("results.json"));
            return 0;
        }
    }

    @Command(name = "fit", description = {"Fit the QiD law to a ladder's results.json (its cells), in log space and on",
        "QiD directly, with bootstrap intervals and QiD projected to 100T tokens."})
    static final class Fit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "RESULTS", description = "a results.json written by `qid ladder`")
        Path results;

        @Option(names = "--resamples", defaultValue = "1000", description = "bootstrap resamples (default ${DEFAULT-VALUE})")
        int resamples;

        @Option(names = "--json", description = "end with one line holding the fits as JSON")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter console = spec.commandLine().getOut();
            JsonNode root = readJson(results);
            Map<String, List<QidObservation>> observations = new LinkedHashMap<>();
            int i = 0;
            for (JsonNode c : root.path("cells")) {
                try {
                    observations.computeIfAbsent(c.path("method").asText("all"), k -> new ArrayList<>())
                            .add(new QidObservation(c.path("parameters").asDouble(), c.path("tokens").asDouble(),
                                    c.path("bits").asDouble(), c.path("qid").asDouble()));
                } catch (IllegalArgumentException e) {
                    throw new ScalpelException(results + ": cell " + i + ": " + e.getMessage());
                }
                i++;
            }
            if (observations.isEmpty()) {
                throw new ScalpelException(results + ": no \"cells\" to fit");
            }
            Map<String, Object> fits = fitsByMethod(observations, resamples, console);
            if (json) {
                console.println(Json.line(fits));
            }
            return 0;
        }
    }
}
