package dev.scalpel.cli;

import dev.scalpel.compress.qid.QidClaims;
import dev.scalpel.compress.qid.QidFit;
import dev.scalpel.compress.qid.QidLadder;
import dev.scalpel.compress.qid.QidLaw;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.LineChart;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportBuilder;
import dev.scalpel.core.report.Series;
import dev.scalpel.lab.build.LabLadder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code reproduce qid} writes for people: README.md (setup, the fitted law beside the paper's, the claims with
 * verdicts, every cell, the paper's two uses), report.html and one chart per bit width. Every number is read from the
 * run's cells and fits.
 */
final class QidReproductionReport {
    /** A claim is reproduced when at least this share of its comparisons go its way. */
    static final double REPRODUCED = 0.8;
    static final double PARTLY = 0.5;

    private QidReproductionReport() {
    }

    static String verdict(QidClaims.Claim c) {
        return c.share() >= REPRODUCED ? "reproduced" : c.share() >= PARTLY ? "partly reproduced" : "not reproduced";
    }

    /** QiD against log10 training tokens at one width: one line per size and method. */
    static LineChart chart(List<QidLadder.Cell> cells, int bits) {
        List<Series> series = new ArrayList<>();
        for (String method : List.of("rtn", "gptq")) {
            for (String model : models(cells)) {
                List<QidLadder.Cell> line = line(cells, model, method, bits);
                if (!line.isEmpty()) {
                    series.add(new Series(model + " " + method, line.stream().map(c -> Math.log10(c.tokens())).toList(),
                            line.stream().map(QidLadder.Cell::qid).toList()));
                }
            }
        }
        return new LineChart("QiD at " + bits + " bits against training tokens", "log10 training tokens",
                "QiD (nats per token)", series, bits <= 3);
    }

    private static List<String> models(List<QidLadder.Cell> cells) {
        return cells.stream().map(QidLadder.Cell::model).distinct().toList();
    }

    private static List<QidLadder.Cell> line(List<QidLadder.Cell> cells, String model, String method, int bits) {
        return cells.stream().filter(c -> c.bits() == bits && c.method().equals(method) && c.model().equals(model))
                .sorted(Comparator.comparingDouble(QidLadder.Cell::tokens)).toList();
    }

    static Report report(List<QidLadder.Cell> cells, Map<String, List<QidClaims.Claim>> claims,
                         Map<String, Object> fits) {
        ReportBuilder b = Report.builder("QiD scaling on the lab ladder");
        b.section("Claims");
        List<List<Cell>> rows = new ArrayList<>();
        claims.forEach((method, list) -> list.forEach(c -> rows.add(List.of(Cell.text(method), Cell.text(c.statement()),
                Cell.count(c.holds()), Cell.count(c.comparisons()), Cell.percent(c.share(), 0),
                Cell.decimal(c.rankCorrelation(), 2), Cell.text(verdict(c))))));
        b.table("claims", List.of("cells", "claim", "holds", "comparisons", "share", "mean Spearman", "verdict"), rows);
        b.section("Fitted law");
        b.table("fits", List.of("method", "fit", "alpha", "beta", "gamma", "k", "log R2", "points"), fitRows(fits).stream()
                .map(r -> r.stream().map(Cell::text).toList()).toList());
        b.section("Cells");
        List<List<Cell>> cellRows = new ArrayList<>();
        for (QidLadder.Cell c : cells) {
            cellRows.add(List.of(Cell.text(c.model()), Cell.count((long) c.tokens()), Cell.text(c.method()),
                    Cell.count(c.bits()), Cell.decimal(c.fullLoss(), 4), Cell.decimal(c.quantizedLoss(), 4),
                    Cell.decimal(c.qid(), 4)));
        }
        b.table("cells", List.of("size", "tokens", "method", "bits", "full loss", "quantized loss", "QiD"), cellRows);
        return b.build();
    }

    /** One row per method and fit (text cells), then the paper's. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> fitRows(Map<String, Object> fits) {
        List<List<String>> rows = new ArrayList<>();
        for (var m : fits.entrySet()) {
            Map<String, Object> byFit = (Map<String, Object>) m.getValue();
            if (byFit.containsKey("no_fit")) {
                rows.add(List.of(m.getKey(), "no fit: " + byFit.get("no_fit"), "", "", "", "", "", ""));
                continue;
            }
            for (var f : byFit.entrySet()) {
                Map<String, Object> fit = (Map<String, Object>) f.getValue();
                QidLaw law = (QidLaw) fit.get("law");
                Map<String, QidFit.Interval> iv = (Map<String, QidFit.Interval>) fit.get("intervals");
                rows.add(List.of(m.getKey(), f.getKey().replace('_', '-'), range(law.alpha(), iv.get("alpha")),
                        range(law.beta(), iv.get("beta")), range(law.gamma(), iv.get("gamma")),
                        String.format(Locale.ROOT, "%.3g", law.k()), String.format(Locale.ROOT, "%.3f", (Double) fit.get("log_r2")),
                        fit.get("observations").toString()));
            }
        }
        QidLaw p = QidLaw.PAPER;
        rows.add(List.of("paper (Pythia)", "", f4(p.alpha()), f4(p.beta()), f4(p.gamma()), f4(p.k()), "", "1,500"));
        return rows;
    }

    private static String range(double value, QidFit.Interval interval) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", value, interval.low(), interval.high());
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @SuppressWarnings("unchecked")
    static String markdown(LabLadder.Spec ladder, List<LabLadder.TrainedSize> sizes, List<QidLadder.Cell> cells,
                           Map<String, Object> fits, Map<String, List<QidClaims.Claim>> claims, List<Integer> bits,
                           int heldOut, int groupSize, int calibrationWindows) {
        StringBuilder md = new StringBuilder();
        List<Long> tokens = ladder.checkpointTokens();
        long tokensPerStep = (long) ladder.batchSize() * ladder.sequenceLength() * ladder.training().accumulation();
        md.append("# QiD on the lab ladder\n\n");
        md.append("The QiD paper (\"Low-Bit Quantization Favors Undertrained LLMs\") fits QiD = k D^beta / (N^alpha P^gamma)"
                + " over quantized Pythia checkpoints. This is the same study on a ladder trained here with the lab's"
                + " trainer, made by `./scalpel reproduce qid` (resumable; the cells and training runs live in the Scalpel"
                + " home). Every number below is computed from `results.json` by that command.\n\n");
        md.append("## Setup\n\n| size | hidden | layers | parameters | N (non-embedding) |\n|---|---|---|---|---|\n");
        for (LabLadder.TrainedSize s : sizes) {
            var config = ladder.sizes().stream().filter(z -> z.name().equals(s.name())).findFirst().orElseThrow().config();
            double n = cells.stream().filter(c -> c.model().equals(s.name())).findFirst().map(QidLadder.Cell::parameters)
                    .orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %,d | %,.0f |%n", s.name(),
                    config.path("hidden_size").asInt(), config.path("num_hidden_layers").asInt(), s.parameters(), n));
        }
        md.append(String.format(Locale.ROOT, "%nEach size is a Llama-style model (vocabulary %d, tied embeddings) trained"
                        + " once for %,d steps of %,d tokens (AdamW, peak learning rate %s, %d warm-up steps, cosine decay to"
                        + " %s of the peak, lab mix by document: prose %s, definitions %s, facts %s, arithmetic %s; seed"
                        + " %d). As in Pythia, the checkpoints are points along that one run: %s tokens, a span of %.0fx.%n%n",
                ladder.sizes().getFirst().config().path("vocab_size").asInt(), ladder.training().steps(), tokensPerStep,
                ladder.training().peakLearningRate(), ladder.training().warmupSteps(),
                ladder.training().minLearningRateRatio(), ladder.mix().prose(), ladder.mix().text(), ladder.mix().facts(),
                ladder.mix().arithmetic(), ladder.training().seed(),
                String.join(", ", tokens.stream().map(t -> String.format(Locale.ROOT, "%,d", t)).toList()),
                (double) tokens.getLast() / tokens.getFirst()));
        md.append(String.format(Locale.ROOT, "Every checkpoint is quantized at %s bits by RTN (round to nearest) and GPTQ"
                        + " (%d calibration windows of %d tokens of training prose), asymmetric, groups of %d inputs, every"
                        + " linear layer of every block (the tied embedding and head stay in float32). QiD is the held-out"
                        + " loss of the quantized model minus the full-precision one, in nats per token, on %,d tokens of"
                        + " the lab's test prose (windows of %d).%n%n",
                bits.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse(""), calibrationWindows,
                ladder.sequenceLength(), groupSize, heldOut, ladder.sequenceLength()));

        md.append("## The fitted law beside the paper's\n\nBoth fits, per method, with 95% bootstrap intervals; the log-"
                + "linear fit leaves out cells whose QiD is not positive (they have no logarithm).\n\n");
        md.append("| method | fit | alpha | beta | gamma | k | log R2 | points |\n|---|---|---|---|---|---|---|---|\n");
        for (List<String> row : fitRows(fits)) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        md.append(exponentVerdicts(fits));

        md.append("## The paper's claims\n\nEach claim is scored by counting comparisons: within one size, width and method,"
                + " every pair of checkpoints (the later should degrade more); within one token count, width and method,"
                + " every pair of sizes (the larger should degrade less); within one checkpoint and method, each width"
                + " against the next wider one (the narrower should degrade more). A claim is called reproduced at "
                + Math.round(100 * REPRODUCED) + "% or more of its comparisons, partly at " + Math.round(100 * PARTLY)
                + "%.\n\n| cells | claim | holds | share | mean Spearman | verdict |\n|---|---|---|---|---|---|\n");
        claims.forEach((method, list) -> list.forEach(c -> md.append(String.format(Locale.ROOT,
                "| %s | %s | %d of %d | %.0f%% | %s | %s |%n", method, c.statement(), c.holds(), c.comparisons(),
                100 * c.share(), Double.isNaN(c.rankCorrelation()) ? "" : String.format(Locale.ROOT, "%.2f",
                        c.rankCorrelation()), verdict(c)))));
        md.append('\n');
        md.append(noiseFloor(cells));

        md.append("## QiD at every checkpoint\n\nCharts: ");
        md.append(String.join(", ", bits.stream().map(b -> "[" + b + " bits](qid-" + b + "bit.svg)").toList()));
        md.append(".\n\n");
        for (String method : List.of("gptq", "rtn")) {
            for (int b : bits) {
                md.append("**").append(method.toUpperCase(Locale.ROOT)).append(", ").append(b).append(" bits**\n\n| size |");
                tokens.forEach(t -> md.append(String.format(Locale.ROOT, " %,d |", t)));
                md.append("\n|---|").append("---|".repeat(tokens.size())).append('\n');
                for (String model : models(cells)) {
                    md.append("| ").append(model).append(" |");
                    for (QidLadder.Cell c : line(cells, model, method, b)) {
                        md.append(String.format(Locale.ROOT, " %.4f |", c.qid()));
                    }
                    md.append('\n');
                }
                md.append('\n');
            }
        }
        md.append("Full-precision held-out loss (nats per token):\n\n| size |");
        tokens.forEach(t -> md.append(String.format(Locale.ROOT, " %,d |", t)));
        md.append("\n|---|").append("---|".repeat(tokens.size())).append('\n');
        for (String model : models(cells)) {
            md.append("| ").append(model).append(" |");
            for (QidLadder.Cell c : line(cells, model, "rtn", bits.getFirst())) {
                md.append(String.format(Locale.ROOT, " %.4f |", c.fullLoss()));
            }
            md.append('\n');
        }
        md.append('\n');
        md.append(uses(cells, fits, ladder.sizes().getFirst().config().path("vocab_size").asInt()));
        md.append("""
                ## What differs from the paper

                - Scale: the paper's Pythia models have 70M to 12B parameters and checkpoints up to 300B tokens; these have
                  the sizes above and a few million tokens, so the exponents describe a different regime, not a check of
                  the paper's values. The claims are qualitative and are what this ladder can test.
                - Data: the lab's corpora are small, so the last checkpoints see parts of them more than once (Pythia's
                  Pile is seen about once), and the held-out text is the lab's test prose.
                - One training seed per size, and one schedule: as in Pythia, early checkpoints sit at a high learning
                  rate and later ones in the decay, so "more tokens" and "a lower learning rate" come together.
                - Quantization: groups of %d inputs (the smallest size's width) rather than 128, and the tied
                  embedding/head left in float32, as GPTQ tools leave the head.
                """.formatted(groupSize));
        return md.toString();
    }

    /**
     * Where the size claim fails: 8-bit quantization is nearly lossless, so the largest |QiD| at 8 bits is the
     * measurement's noise level. Comparisons between cells at that level are coin flips; the claim is scored again on
     * the cells well above it (ten times the floor).
     */
    static String noiseFloor(List<QidLadder.Cell> cells) {
        double floor = cells.stream().filter(c -> c.bits() == 8).mapToDouble(c -> Math.abs(c.qid())).max().orElse(0);
        if (floor == 0) {
            return "";
        }
        List<QidLadder.Cell> clear = cells.stream().filter(c -> c.qid() > 10 * floor).toList();
        QidClaims.Claim size = QidClaims.of(clear).get(1);
        QidClaims.Claim tokens = QidClaims.of(clear).get(0);
        return String.format(Locale.ROOT, "The noise level: the largest |QiD| at 8 bits is %.4f nats per token. Among the"
                        + " %d cells with QiD above ten times that, QiD falls with model size in %d of %d comparisons"
                        + " (%.0f%%: %s) and grows with training tokens in %d of %d (%.0f%%: %s). Early checkpoints and"
                        + " 4- and 8-bit cells degrade by about the noise, and comparisons among them decide nothing.%n%n",
                floor, clear.size(), size.holds(), size.comparisons(), 100 * size.share(), verdict(size), tokens.holds(),
                tokens.comparisons(), 100 * tokens.share(), verdict(tokens));
    }

    /** Each method's log-space fit, for the methods whose cells identified one. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> logLinearFits(Map<String, Object> fits) {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        fits.forEach((method, byFit) -> {
            Object fit = ((Map<String, Object>) byFit).get("log_linear");
            if (fit != null) {
                out.put(method, (Map<String, Object>) fit);
            }
        });
        return out;
    }

    /** Whether each fitted exponent has the paper's sign and whether its interval holds the paper's value. */
    @SuppressWarnings("unchecked")
    private static String exponentVerdicts(Map<String, Object> fits) {
        StringBuilder md = new StringBuilder();
        QidLaw paper = QidLaw.PAPER;
        for (var m : logLinearFits(fits).entrySet()) {
            Map<String, Object> fit = m.getValue();
            QidLaw law = (QidLaw) fit.get("law");
            Map<String, QidFit.Interval> iv = (Map<String, QidFit.Interval>) fit.get("intervals");
            List<String> parts = new ArrayList<>();
            for (String name : List.of("alpha", "beta", "gamma")) {
                double value = switch (name) {
                    case "alpha" -> law.alpha();
                    case "beta" -> law.beta();
                    default -> law.gamma();
                };
                double theirs = switch (name) {
                    case "alpha" -> paper.alpha();
                    case "beta" -> paper.beta();
                    default -> paper.gamma();
                };
                QidFit.Interval i = iv.get(name);
                String sign = i.low() > 0 ? "positive, as the paper's" : i.high() < 0 ? "negative, unlike the paper's"
                        : "not distinguishable from zero";
                parts.add(String.format(Locale.ROOT, "%s %.3f is %s (%s)", name, value, sign,
                        i.contains(theirs) ? "its interval holds the paper's " + f4(theirs)
                                : "its interval excludes the paper's " + f4(theirs)));
            }
            md.append("- ").append(m.getKey().toUpperCase(Locale.ROOT)).append(" (log-linear): ")
                    .append(String.join("; ", parts)).append(".\n");
        }
        return md.append('\n').toString();
    }

    /** The paper's two uses: the training level read back from QiD, and QiD projected to 100T tokens. */
    @SuppressWarnings("unchecked")
    private static String uses(List<QidLadder.Cell> cells, Map<String, Object> fits, int vocab) {
        StringBuilder md = new StringBuilder("## The paper's two uses\n\n");
        for (var m : logLinearFits(fits).entrySet()) {
            Map<String, Object> fit = m.getValue();
            QidLaw law = (QidLaw) fit.get("law");
            double[] errors = cells.stream().filter(c -> c.method().equals(m.getKey()) && c.qid() > 0 && c.bits() <= 4)
                    .mapToDouble(c -> Math.abs(Math.log10(law.tokensFor(c.qid(), c.parameters(), c.bits()) / c.tokens())))
                    .sorted().toArray();
            if (errors.length > 0) {
                double median = errors[errors.length / 2];
                md.append(String.format(Locale.ROOT, "- %s, training level: the law solved for D from each 2- to 4-bit"
                                + " cell's QiD gives back its true training tokens within a factor of %.2f (median over %d"
                                + " cells; the law is fitted on the same cells, so this is a consistency check, not a"
                                + " held-out test).%n", m.getKey().toUpperCase(Locale.ROOT), Math.pow(10, median),
                        errors.length));
            }
            Map<String, Object> projections = (Map<String, Object>) fit.get("projection_100T_tokens_largest_model");
            List<String> parts = new ArrayList<>();
            projections.forEach((width, p) -> {
                Map<String, Object> at = (Map<String, Object>) p;
                QidFit.Interval i = (QidFit.Interval) at.get("interval");
                parts.add(String.format(Locale.ROOT, "%s %.3g [%.3g, %.3g]", width, (Double) at.get("qid"), i.low(),
                        i.high()));
            });
            md.append(String.format(Locale.ROOT, "- %s, projection: QiD of the largest size trained to 100T tokens: %s"
                    + " nats per token. An extrapolation over seven orders of magnitude: a uniform guess over the"
                    + " %,d-token vocabulary loses %.2f nats per token, so values beyond that say only that the law's"
                    + " power growth has no ceiling.%n", m.getKey().toUpperCase(Locale.ROOT), String.join(", ", parts),
                    vocab, Math.log(vocab)));
        }
        return md.append('\n').toString();
    }
}
