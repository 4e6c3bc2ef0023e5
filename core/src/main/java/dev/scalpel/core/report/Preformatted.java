package dev.scalpel.core.report;

import java.util.Objects;

/** Text whose line breaks and spacing matter (a claims file in Markdown, a command line). */
public record Preformatted(String text) implements Block {
    public Preformatted {
        Objects.requireNonNull(text, "text");
    }
}
