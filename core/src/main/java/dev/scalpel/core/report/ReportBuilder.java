package dev.scalpel.core.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Report} in reading order: blocks go to the section opened last, and those added before any
 * {@link #section} form the untitled opening (dropped when empty).
 */
public final class ReportBuilder {
    private final String title;
    private final List<Section> done = new ArrayList<>();
    private String heading = "";
    private List<Block> blocks = new ArrayList<>();

    ReportBuilder(String title) {
        this.title = title;
    }

    public ReportBuilder section(String newHeading) {
        close();
        heading = newHeading;
        blocks = new ArrayList<>();
        return this;
    }

    public ReportBuilder paragraph(String text) {
        return add(new Paragraph(text));
    }

    public ReportBuilder preformatted(String text) {
        return add(new Preformatted(text));
    }

    public ReportBuilder table(String label, List<String> header, List<List<Cell>> rows) {
        return add(new Table(label, header, rows));
    }

    public ReportBuilder add(Block block) {
        blocks.add(block);
        return this;
    }

    /** The report so far; the builder may go on. */
    public Report build() {
        List<Section> sections = new ArrayList<>(done);
        if (open()) {
            sections.add(new Section(heading, blocks));
        }
        return new Report(title, sections);
    }

    private void close() {
        if (open()) {
            done.add(new Section(heading, blocks));
        }
    }

    private boolean open() {
        return !heading.isEmpty() || !blocks.isEmpty();
    }
}
