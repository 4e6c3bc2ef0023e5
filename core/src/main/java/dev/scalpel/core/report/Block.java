package dev.scalpel.core.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One piece of a section: text, a table or a figure. The JSON form names the kind in {@code "type"}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Paragraph.class, name = "paragraph"),
    @JsonSubTypes.Type(value = Preformatted.class, name = "preformatted"),
    @JsonSubTypes.Type(value = Table.class, name = "table"),
    @JsonSubTypes.Type(value = LineChart.class, name = "line_chart"),
    @JsonSubTypes.Type(value = BarChart.class, name = "bar_chart"),
    @JsonSubTypes.Type(value = SvgFigure.class, name = "svg_figure")})
public sealed interface Block permits Paragraph, Preformatted, Table, Chart, SvgFigure {
}
