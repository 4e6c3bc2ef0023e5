package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.report.BarChart;
import dev.scalpel.core.report.Block;
import dev.scalpel.core.report.Cell;
import dev.scalpel.core.report.Report;
import dev.scalpel.core.report.ReportJson;
import dev.scalpel.core.report.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MOSAIC report, built from the committed lab-lm reproduction: its results.json is rewritten byte for byte. */
class MosaicReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path COMMITTED = Path.of("..", "docs", "reproductions", "sae-probing", "lab-lm", "results.json");

    private static MosaicResults committed(JsonNode root) {
        return new MosaicResults(root.path("model").asText(), JSON.convertValue(root.path("config"), MosaicConfig.class),
                JSON.convertValue(root.path("data"), new TypeReference<Map<String, Object>>() { }),
                JSON.convertValue(root.path("saes"), new TypeReference<List<MosaicResults.SaeSummary>>() { }),
                JSON.convertValue(root.path("cells"), new TypeReference<List<MosaicResults.Cell>>() { }),
                root.path("seconds_this_process").asDouble());
    }

    @Test
    void resultsKeepTheCommittedFormat() throws Exception {
        JsonNode root = JSON.readTree(COMMITTED.toFile());
        MosaicResults r = committed(root);
        // Through text, as results.json is written: a tree made from Java values would keep float and int node types.
        JsonNode rewritten = JSON.readTree(JSON.writeValueAsString(MosaicReport.results(r,
                root.path("model_fingerprint").asText())));
        assertEquals(root, rewritten);
    }

    @Test
    void theReportShowsEveryCellAndTheHeadlineOnlyBinarizedSumsAndBaselines() throws Exception {
        MosaicResults r = committed(JSON.readTree(COMMITTED.toFile()));
        Report report = MosaicReport.of(r);
        assertEquals(List.of("", "Claims", "The SAEs", "Binarized summation against the baselines",
                "Pooling and binarization, averaged over layers, SAEs and widths", "Every probe"),
                report.sections().stream().map(s -> s.heading()).toList());
        Table saes = (Table) report.sections().get(2).blocks().getFirst();
        assertEquals(r.saes().size(), saes.rows().size());
        assertEquals(12, saes.header().size());
        Table every = (Table) report.sections().get(5).blocks().getFirst();
        assertEquals(r.cells().size(), every.rows().size());
        double best = r.cells().stream().mapToDouble(MosaicResults.Cell::testMacroF1).max().orElseThrow();
        assertEquals(Cell.decimal(best, 3), every.rows().getFirst().get(2), "best test macro-F1 first");
        BarChart headline = MosaicReport.headlineChart(r);
        long expected = r.cells().stream().filter(c -> MosaicClaims.binarizedSum(c) || !"sae".equals(c.probe())).count();
        assertEquals(expected, headline.bars().size());
        assertTrue(headline.bars().stream().allMatch(b -> !b.label().startsWith("sae:") || b.label().contains("sum, "
                + "binarized")), headline.bars().toString());
        Block claims = report.sections().get(1).blocks().getFirst();
        assertEquals(new dev.scalpel.core.report.Preformatted(MosaicClaims.markdown(r)), claims);
        assertEquals(report, ReportJson.read(ReportJson.write(report)));
    }
}
