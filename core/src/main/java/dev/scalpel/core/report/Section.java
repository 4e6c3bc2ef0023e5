package dev.scalpel.core.report;

import java.util.List;
import java.util.Objects;

/** A heading (empty for the report's opening, which has none) and its blocks in reading order. */
public record Section(String heading, List<Block> blocks) {
    public Section {
        Objects.requireNonNull(heading, "heading");
        blocks = List.copyOf(blocks);
    }
}
