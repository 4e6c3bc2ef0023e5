package dev.scalpel.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A labeled table: a header and rows of typed {@link Cell}s, every row as wide as the header (a ragged table is a
 * bug in whatever built it, so it is refused here rather than drawn misaligned).
 */
public record Table(String label, List<String> header, List<List<Cell>> rows) implements Block {
    public Table {
        Objects.requireNonNull(label, "label");
        header = List.copyOf(header);
        List<List<Cell>> copied = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            List<Cell> row = List.copyOf(rows.get(i));
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table '" + label + "': row " + i + " has " + row.size()
                        + " cells, the header " + header.size());
            }
            copied.add(row);
        }
        rows = List.copyOf(copied);
    }

    /**
     * A two-column table (metric, value) of a metrics object read as a map, nested maps and lists flattened into one
     * row per number ("fact_recall_by_relation: hypernym"), so that no cell ever holds a raw JSON object.
     */
    public static Table ofMetrics(String label, Map<String, ?> metrics) {
        List<List<Cell>> rows = new ArrayList<>();
        flatten("", metrics, rows);
        return new Table(label, List.of("metric", "value"), rows);
    }

    private static void flatten(String prefix, Object value, List<List<Cell>> rows) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + ": " + k, v, rows));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + " [" + (i + 1) + "]", list.get(i), rows);
            }
        } else {
            rows.add(List.of(Cell.text(prefix), Cell.of(value)));
        }
    }
}
