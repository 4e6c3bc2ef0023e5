package dev.scalpel.core.report;

import java.util.Objects;

/** Plain prose; renderers escape it, so it may hold any characters. */
public record Paragraph(String text) implements Block {
    public Paragraph {
        Objects.requireNonNull(text, "text");
    }
}
