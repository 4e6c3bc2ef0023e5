package dev.scalpel.lab.corpus.arithmetic;

/** An operand of a step: a number from the question, or the result of an earlier step. */
public sealed interface Operand {
    /** A number stated in the question. */
    record Number(int value) implements Operand {}

    /** The result of step {@code step} (0-based), which must come earlier. */
    record Result(int step) implements Operand {}

    static Operand literal(int value) {
        return new Number(value);
    }

    static Operand result(int step) {
        return new Result(step);
    }
}
