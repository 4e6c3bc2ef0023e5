package dev.scalpel.lab.build;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.Table;
import dev.scalpel.core.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report of one lab build, for people: what was trained (the recipe and the run), how training went (the curve
 * and its last losses) and how well the model knows its data (the evaluation, one row per number). The manifest is the
 * same content for scripts.
 */
final class LabReport {
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private LabReport() {
    }

    static Report of(LabManifest manifest, Trainer.History history, LineChart curve, List<String> datasheets,
            java.util.Optional<ShippedManifest> shipped) {
        ReportBuilder report = Report.builder(manifest.name() + " (" + manifest.profile() + " profile): build report");
        report.paragraph(manifest.objective().equals("mdlm")
                ? "Llama blocks without the causal mask (LLaDA's backbone), trained as a masked-diffusion language model on the lab's corpora."
                : "A Llama-architecture causal language model trained on the lab's corpora.");
        report.section("Recipe and run").add(recipe(manifest));
        report.section("Training").add(curve);
        if (!history.steps().isEmpty()) {
            Trainer.StepRecord last = history.steps().getLast();
            String validation = history.evaluations().isEmpty() ? "no validation"
                    : String.format(java.util.Locale.ROOT, "last validation loss %.4f",
                            history.evaluations().getLast().loss());
            report.paragraph(String.format(java.util.Locale.ROOT, "%,d optimizer steps; last training loss %.4f; %s.",
                    history.steps().size(), last.loss(), validation));
        }
        // The metrics as typed at build time or as read back from a manifest: both become one snake_case map.
        Class<?> type = manifest.objective().equals("mdlm") ? MdlmMetrics.class : LmMetrics.class;
        Object typed = new ObjectMapper().convertValue(manifest.metrics(), type);
        Map<String, Object> metrics = SNAKE.convertValue(typed, new TypeReference<>() { });
        Object samples = metrics.remove("samples");
        report.section("Evaluation").add(Table.ofMetrics(manifest.objective().equals("mdlm")
                ? "perplexity bound on held-out text, samples judged by lab-lm"
                : "held-out text perplexity, fact and paraphrase recall, arithmetic accuracy by level", metrics));
        if (samples instanceof List<?> texts && !texts.isEmpty()) {
            report.paragraph("Unconditional samples:");
            report.preformatted(String.join("\n\n", texts.stream().map(String::valueOf).toList()));
        }
        shipped.ifPresent(s -> report.section("Against the shipped model").paragraph("The same metrics of the " + s.name()
                + " shipped with Scalpel (" + s.dtype() + " weights, built " + s.build().created() + ", seed "
                + s.build().seed() + "), on the same test split.").add(comparison(metrics, flat(s.metrics(), type))));
        if (!datasheets.isEmpty()) {
            report.section("Data").paragraph("Datasheets of the corpora it was trained on, beside this report: "
                    + String.join(", ", datasheets) + ".");
        }
        return report.build();
    }

    /** Numeric metrics, nested maps (arithmetic accuracy by level) flattened to "arithmetic_accuracy.1". */
    private static Map<String, Double> numbers(Map<String, Object> metrics) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v instanceof Number n) {
                out.put(k, n.doubleValue());
            } else if (v instanceof Map<?, ?> nested) {
                nested.forEach((nk, nv) -> {
                    if (nv instanceof Number n) {
                        out.put(k + "." + nk, n.doubleValue());
                    }
                });
            }
        });
        return out;
    }

    private static Map<String, Object> flat(Object metrics, Class<?> type) {
        return SNAKE.convertValue(new ObjectMapper().convertValue(metrics, type), new TypeReference<>() { });
    }

    private static Table comparison(Map<String, Object> built, Map<String, Object> shipped) {
        Map<String, Double> ours = numbers(built);
        Map<String, Double> theirs = numbers(shipped);
        List<List<Cell>> rows = new ArrayList<>();
        ours.forEach((k, v) -> {
            if (theirs.containsKey(k)) {
                rows.add(List.of(Cell.text(k), Cell.decimal(v, 4, ""), Cell.decimal(theirs.get(k), 4, ""),
                        Cell.decimal(v - theirs.get(k), 4, "")));
            }
        });
        return new Table("this build against the shipped model", List.of("metric", "this build", "shipped", "difference"),
                rows);
    }

    private static Table recipe(LabManifest m) {
        List<List<Cell>> rows = new ArrayList<>();
        rows.add(row("objective", Cell.text(m.objective().equals("mdlm") ? "masked diffusion" : "next token")));
        rows.add(row("parameters", Cell.count(m.parameters())));
        for (String field : List.of("num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size",
                "vocab_size")) {
            if (m.config().has(field)) {
                rows.add(row(field.replace('_', ' '), Cell.count(m.config().get(field).asLong())));
            }
        }
        rows.add(row("sequence length", Cell.count(m.sequenceLength())));
        rows.add(row("batch (sequences)", Cell.count(m.batchSize())));
        rows.add(row("optimizer steps", Cell.count(m.training().steps())));
        rows.add(row("gradient accumulation", Cell.count(m.training().accumulation())));
        rows.add(row("peak learning rate", Cell.text(m.training().peakLearningRate())));
        rows.add(row("tokens trained", Cell.count(m.tokensTrained())));
        rows.add(row("training time", Cell.decimal(m.secondsTraining(), 1, "s")));
        rows.add(row("throughput", Cell.text(String.format(java.util.Locale.ROOT, "%,.0f tokens/s", m.tokensPerSecond()))));
        rows.add(row("float32 GEMM rate", Cell.decimal(m.gemmGflops(), 1, "GFLOP/s")));
        rows.add(row("model-FLOPs utilization", Cell.percent(m.modelFlopsUtilization(), 1)));
        rows.add(row("seed", Cell.text(m.seed())));
        rows.add(row("data SHA-256", Cell.text(m.dataHash())));
        rows.add(row("code", Cell.text(m.codeVersion())));
        rows.add(row("built", Cell.text(m.created())));
        return new Table("recipe and run", List.of("", "value"), rows);
    }

    private static List<Cell> row(String name, Cell value) {
        return List.of(Cell.text(name), value);
    }
}
