package dev.scalpel.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The report model renders to escaped HTML, well-formed SVG and JSON that reads back to the same report. */
class ReportRenderersTest {

    private static Report sample() {
        return Report.builder("Probe <spam> & \"ham\"")
                .paragraph("opening, before any heading: 1 < 2")
                .section("Summary")
                .table("test scores", List.of("probe", "macro-F1", "CV", "accuracy", "examples"), List.of(
                        List.of(Cell.text("<script>alert('x')</script>"), Cell.decimal(0.91234, 3),
                                Cell.meanStd(0.9, 0.01234, 3), Cell.percent(0.9234, 1), Cell.count(12345)),
                        List.of(Cell.text("tfidf"), Cell.decimal(Double.NaN, 3), Cell.meanStd(0.8, 0.02, 3),
                                Cell.percent(1, 1), Cell.count(7))))
                .add(BarChart.of("macro-F1 <by probe>", List.of("sae", "tfidf"), List.of(0.91, 0.88)))
                .add(LineChart.linear("loss", "step", "loss", List.of(
                        Series.of("train", new double[] {0, 1, 2}, new double[] {3, 2, Double.NaN}))))
                .preformatted("| a | b |\n|---|---|")
                .build();
    }

    @Test
    void htmlEscapesEveryTextAndFormatsNumbersOneWay() {
        String html = HtmlRenderer.render(sample());
        assertFalse(html.contains("<script>"), "text is escaped, never markup");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
        assertTrue(html.contains("<title>Probe &lt;spam&gt; &amp; &quot;ham&quot;</title>"), html);
        assertTrue(html.contains("<p>opening, before any heading: 1 &lt; 2</p>"), html);
        assertTrue(html.contains("<h2>Summary</h2>"), html);
        assertTrue(html.contains("<caption>test scores</caption>"), html);
        assertTrue(html.contains("<td class='n'>0.912</td><td class='n'>0.900 ± 0.012</td><td class='n'>92.3%</td>"
                + "<td class='n'>12,345</td>"), html);
        assertTrue(html.contains("<td class='n'>n/a</td>"), "NaN reads n/a: " + html);
        assertEquals(2, html.split("<svg ", -1).length - 1, "both charts are inline");
        assertFalse(html.contains("src=") || html.contains("href="), "self-contained: nothing to fetch");
        assertEquals(1, html.split("<h2>", -1).length - 1, "the opening has no heading");
    }

    @Test
    void tablesRefuseRaggedRowsAndFlattenMetricsIntoRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Table("t",
                List.of("a", "b"), List.of(List.of(Cell.text("only one")))));
        assertTrue(e.getMessage().contains("row 0 has 1 cells, the header 2"), e.getMessage());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("perplexity", 156.25);
        metrics.put("fact_recall_by_relation", Map.of("hypernym", 0.5));
        metrics.put("facts_evaluated", 400);
        metrics.put("samples", List.of("a b", "c d"));
        Table t = Table.ofMetrics("lab-lm's metrics", metrics);
        assertEquals(List.of("metric", "value"), t.header());
        assertEquals(5, t.rows().size());
        assertEquals(List.of("perplexity", "156.2500"), t.rows().get(0).stream().map(Cell::formatted).toList());
        assertEquals(List.of("fact_recall_by_relation: hypernym", "0.5000"),
                t.rows().get(1).stream().map(Cell::formatted).toList());
        assertEquals(List.of("facts_evaluated", "400"), t.rows().get(2).stream().map(Cell::formatted).toList());
        assertEquals(List.of("samples [2]", "c d"), t.rows().get(4).stream().map(Cell::formatted).toList());
        for (var row : t.rows()) {
            assertFalse(row.get(1).formatted().contains("{"), "no raw JSON object in a cell");
        }
    }

    @Test
    void jsonReadsBackToTheSameReport() throws Exception {
        Report report = sample();
        String json = ReportJson.write(report);
        assertEquals(report, ReportJson.read(json));
        JsonNode tree = new ObjectMapper().readTree(json);
        JsonNode table = tree.path("sections").path(1).path("blocks").path(0);
        assertEquals("table", table.path("type").asText());
        assertEquals("decimal", table.path("rows").path(0).path(1).path("type").asText());
        assertEquals(0.91234, table.path("rows").path(0).path(1).path("value").asDouble(), 0.0, "the value, unrounded");
        assertEquals("bar_chart", tree.path("sections").path(1).path("blocks").path(1).path("type").asText());
    }

    @Test
    void everyChartIsWellFormedSvg() throws Exception {
        for (Section s : sample().sections()) {
            for (Block b : s.blocks()) {
                if (b instanceof Chart c) {
                    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                            .parse(new ByteArrayInputStream(SvgChart.render(c).getBytes(StandardCharsets.UTF_8)));
                    assertEquals("svg", d.getDocumentElement().getTagName());
                    assertTrue(d.getDocumentElement().getTextContent().contains(c.title()), c.title());
                }
            }
        }
    }

    @Test
    void aFolderHoldsTheHtmlTheReportAndTheResults(@TempDir Path dir) throws Exception {
        Path html = ReportFolder.write(dir.resolve("out"), sample(), Map.of("macro_f1", 0.91));
        assertEquals(dir.resolve("out/report.html"), html);
        assertEquals(sample(), ReportJson.read(Files.readString(dir.resolve("out/report.json"))));
        assertEquals(0.91, new ObjectMapper().readTree(dir.resolve("out/results.json").toFile()).path("macro_f1")
                .asDouble(), 0.0);
    }
}
