package dev.scalpel.lab.corpus.arithmetic;

/** The four operations, written in solutions as "+", "-", "*", "/" (ASCII, so a byte-level tokenizer sees one byte). */
public enum Op {
    ADD("+"),
    SUB("-"),
    MUL("*"),
    DIV("/");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Exact integer arithmetic; a division with a remainder is an error, since word problems share whole things. */
    public int apply(int a, int b) {
        return switch (this) {
            case ADD -> Math.addExact(a, b);
            case SUB -> Math.subtractExact(a, b);
            case MUL -> Math.multiplyExact(a, b);
            case DIV -> {
                if (b == 0 || a % b != 0) {
                    throw new ArithmeticException(a + " / " + b + " is not a whole number");
                }
                yield a / b;
            }
        };
    }
}
