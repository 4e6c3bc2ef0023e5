package dev.scalpel.interpret.data;

import java.util.Objects;

/**
 * One example of a text classification data set.
 *
 * @param id names the example in messages and reports (the data set's own id, or {@code line N})
 * @param text what the features are computed from
 * @param label the class, as the data spell it
 * @param group a finer grouping the data may carry (SpamAssassin's {@code hard-ham-1}, ...), reported separately
 *     because a pooled score can hide a hard subgroup; null when the data have none
 */
public record LabeledText(String id, String text, String label, String group) {
    public LabeledText {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }

    public boolean hasGroup() {
        return group != null;
    }
}
