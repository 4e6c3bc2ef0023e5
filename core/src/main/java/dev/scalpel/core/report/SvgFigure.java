package dev.scalpel.core.report;

import java.util.Objects;

/**
 * An SVG drawn elsewhere and kept as markup, with its caption: a chart another run already wrote to a file (the lab's
 * training curves). Charts made from data in this process are {@link Chart}s, which keep their numbers.
 */
public record SvgFigure(String caption, String svg) implements Block {
    public SvgFigure {
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(svg, "svg");
    }
}
