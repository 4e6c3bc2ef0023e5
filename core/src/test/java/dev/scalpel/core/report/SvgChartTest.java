package dev.scalpel.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Charts are well-formed SVG whose geometry follows the data. */
class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void lineChartDrawsOnePathPerSeriesSpanningThePlot() throws Exception {
        String svg = SvgChart.render(LineChart.linear("loss <&> curve", "step", "loss", List.of(
                Series.of("train", new double[] {0, 1, 2, 3}, new double[] {4, 3, 2, 1}),
                Series.of("validation", new double[] {0, 3}, new double[] {4.5, 1.5}))));
        Document d = parse(svg);
        assertEquals(2, d.getElementsByTagName("path").getLength());
        String path = ((Element) d.getElementsByTagName("path").item(0)).getAttribute("d");
        String[] points = path.replace("M", "").split(" L");
        assertEquals(4, points.length);
        double firstX = Double.parseDouble(points[0].split(",")[0]);
        double lastX = Double.parseDouble(points[3].split(",")[0]);
        double firstY = Double.parseDouble(points[0].split(",")[1]);
        double lastY = Double.parseDouble(points[3].split(",")[1]);
        assertEquals(64.0, firstX, 0.1, "smallest x at the left axis");
        assertEquals(480.0, lastX, 0.1, "largest x at the right end of the plot");
        assertTrue(firstY < lastY, "a falling loss goes down the page (larger y)");
    }

    @Test
    void logScaleSkipsNonPositiveValuesAndBarsAreProportional() throws Exception {
        Document d = parse(SvgChart.render(new LineChart("ppl", "tokens", "perplexity", List.of(
                Series.of("a", new double[] {1, 2, 3}, new double[] {100, 0, 10})), true)));
        String path = ((Element) d.getElementsByTagName("path").item(0)).getAttribute("d");
        assertEquals(2, path.split(" L").length, "the zero is left out of a log plot");
        Document bars = parse(SvgChart.render(BarChart.of("b", List.of("x", "y"), List.of(2.0, 1.0))));
        double w0 = Double.parseDouble(((Element) bars.getElementsByTagName("rect").item(0)).getAttribute("width"));
        double w1 = Double.parseDouble(((Element) bars.getElementsByTagName("rect").item(1)).getAttribute("width"));
        assertEquals(2.0, w0 / w1, 0.01);
    }
}
