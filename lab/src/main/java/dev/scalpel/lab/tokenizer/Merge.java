package dev.scalpel.lab.tokenizer;

/** One learned merge: wherever {@code left} is followed by {@code right}, the two become {@link #merged()}. */
public record Merge(String left, String right) {
    public String merged() {
        return left + right;
    }

    @Override
    public String toString() {
        return left + " " + right;
    }
}
