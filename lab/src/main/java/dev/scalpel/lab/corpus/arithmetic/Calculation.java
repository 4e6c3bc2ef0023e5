package dev.scalpel.lab.corpus.arithmetic;

import java.util.ArrayList;
import java.util.List;

/**
 * The structured form of a problem: the steps of its solution, in order; the last step's value is the answer. Every
 * intermediate value must be a whole number of at least 1 (stories count things).
 */
public record Calculation(List<Step> steps) {
    public Calculation {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a calculation needs at least one step");
        }
        for (int i = 0; i < steps.size(); i++) {
            for (Operand o : List.of(steps.get(i).left(), steps.get(i).right())) {
                if (o instanceof Operand.Result r && (r.step() < 0 || r.step() >= i)) {
                    throw new IllegalArgumentException("step " + i + " refers to step " + r.step() + ", not an earlier one");
                }
            }
        }
        int[] values = evaluate(steps);
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1) {
                throw new IllegalArgumentException("step " + i + " gives " + values[i] + "; stories need positive counts");
            }
        }
    }

    /** The value of every step. */
    public int[] values() {
        return evaluate(steps);
    }

    public int answer() {
        int[] v = values();
        return v[v.length - 1];
    }

    /** The numbers taken from the question, in the order the steps use them. */
    public List<Integer> numbers() {
        List<Integer> numbers = new ArrayList<>();
        for (Step s : steps) {
            for (Operand o : List.of(s.left(), s.right())) {
                if (o instanceof Operand.Number n) {
                    numbers.add(n.value());
                }
            }
        }
        return numbers;
    }

    /**
     * The number combination, independent of the story: "7+9" or "12*3;r0-4;r1/4" (r0 is step 0's result). Two
     * problems with the same combination ask the same arithmetic, which is what held-out combinations keep apart.
     */
    public String combination() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(text(s.left())).append(s.op().symbol()).append(text(s.right()));
        }
        return b.toString();
    }

    /** "a op b = c" for step i, as the solution writes it. */
    public String equation(int i) {
        int[] v = values();
        Step s = steps.get(i);
        return value(s.left(), v) + " " + s.op().symbol() + " " + value(s.right(), v) + " = " + v[i];
    }

    private static String text(Operand o) {
        return switch (o) {
            case Operand.Number n -> Integer.toString(n.value());
            case Operand.Result r -> "r" + r.step();
        };
    }

    private static int value(Operand o, int[] values) {
        return switch (o) {
            case Operand.Number n -> n.value();
            case Operand.Result r -> values[r.step()];
        };
    }

    private static int[] evaluate(List<Step> steps) {
        int[] values = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            values[i] = s.op().apply(value(s.left(), values), value(s.right(), values));
        }
        return values;
    }
}
