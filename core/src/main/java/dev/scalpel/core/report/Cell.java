package dev.scalpel.core.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Locale;
import java.util.Objects;

/**
 * One table cell, typed so that every report formats numbers the same way: fixed decimals, thousands separators for
 * counts, "n/a" for a NaN, always in {@link Locale#ROOT} (a report must not read 0,912 on one machine and 0.912 on
 * another). The JSON form keeps the value and how it is shown.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Cell.TextCell.class, name = "text"),
    @JsonSubTypes.Type(value = Cell.DecimalCell.class, name = "decimal"),
    @JsonSubTypes.Type(value = Cell.CountCell.class, name = "count"),
    @JsonSubTypes.Type(value = Cell.PercentCell.class, name = "percent"),
    @JsonSubTypes.Type(value = Cell.MeanStdCell.class, name = "mean_std")})
public sealed interface Cell {
    /** What a reader sees. */
    String formatted();

    /** Numbers are right-aligned in HTML. */
    default boolean numeric() {
        return true;
    }

    /** Words, or a number whose format is the method's own (a regularization constant written 1e-4). */
    record TextCell(String text) implements Cell {
        public TextCell {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String formatted() {
            return text;
        }

        @Override
        public boolean numeric() {
            return false;
        }
    }

    /** A real number with a fixed number of decimals and an optional unit ("12.3 s"). */
    record DecimalCell(double value, int decimals, String unit) implements Cell {
        @Override
        public String formatted() {
            return Double.isNaN(value) ? "n/a" : fixed(value, decimals) + (unit == null || unit.isEmpty() ? "" : " " + unit);
        }
    }

    /** A whole number with thousands separators. */
    record CountCell(long value) implements Cell {
        @Override
        public String formatted() {
            return String.format(Locale.ROOT, "%,d", value);
        }
    }

    /** A fraction shown as a percentage (0.923 with one decimal is "92.3%"). */
    record PercentCell(double fraction, int decimals) implements Cell {
        @Override
        public String formatted() {
            return Double.isNaN(fraction) ? "n/a" : fixed(100 * fraction, decimals) + "%";
        }
    }

    /** A mean and its standard deviation over folds or repeats. */
    record MeanStdCell(double mean, double std, int decimals) implements Cell {
        @Override
        public String formatted() {
            return Double.isNaN(mean) ? "n/a" : fixed(mean, decimals) + " ± " + fixed(std, decimals);
        }
    }

    static Cell text(Object text) {
        return new TextCell(String.valueOf(text));
    }

    static Cell decimal(double value, int decimals) {
        return new DecimalCell(value, decimals, null);
    }

    static Cell decimal(double value, int decimals, String unit) {
        return new DecimalCell(value, decimals, unit);
    }

    static Cell count(long value) {
        return new CountCell(value);
    }

    static Cell percent(double fraction, int decimals) {
        return new PercentCell(fraction, decimals);
    }

    static Cell meanStd(double mean, double std, int decimals) {
        return new MeanStdCell(mean, std, decimals);
    }

    /** A value of unknown type (a metric read from JSON): whole numbers as counts, reals with 4 decimals. */
    static Cell of(Object value) {
        return switch (value) {
            case Integer i -> count(i);
            case Long l -> count(l);
            case Short s -> count(s);
            case Number n -> decimal(n.doubleValue(), 4);
            case null -> text("");
            default -> text(value);
        };
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
