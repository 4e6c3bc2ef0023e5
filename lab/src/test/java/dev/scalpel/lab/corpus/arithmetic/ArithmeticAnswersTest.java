package dev.scalpel.lab.corpus.arithmetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.lab.corpus.Profile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer is recomputed from the problem's structured form with this test's own evaluator, and every equation
 * the solution writes is checked as arithmetic. Run on a profile large enough to exercise every story many times.
 */
class ArithmeticAnswersTest {
    private static final Pattern EQUATION = Pattern.compile("(\\d+) ([-+*/]) (\\d+) = (\\d+)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    static List<WordProblem> problems;

    @BeforeAll
    static void build() {
        Profile profile = new Profile("arithmetic-test", 1, 1, 3, 3, 400, 100, 0.05, 0.05, 24, 3);
        problems = ArithmeticCorpusBuilder.build(77, profile).problems().all();
    }

    /** Independent of {@link Op#apply}: the arithmetic a reader of the structured form would do. */
    private static long[] evaluate(Calculation c) {
        long[] values = new long[c.steps().size()];
        for (int i = 0; i < values.length; i++) {
            Step s = c.steps().get(i);
            long a = operand(s.left(), values);
            long b = operand(s.right(), values);
            values[i] = switch (s.op().symbol()) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> {
                    assertEquals(0, a % b, "division with a remainder: " + a + " / " + b);
                    yield a / b;
                }
                default -> throw new AssertionError(s.op());
            };
            assertTrue(values[i] >= 1, "step " + i + " is not a positive count: " + values[i]);
        }
        return values;
    }

    private static long operand(Operand o, long[] values) {
        return switch (o) {
            case Operand.Number n -> n.value();
            case Operand.Result r -> values[r.step()];
        };
    }

    @Test
    void everyAnswerIsRecomputedFromTheStructuredForm() {
        assertEquals(4 * 600, problems.size());
        for (WordProblem p : problems) {
            long[] values = evaluate(p.calculation());
            long answer = values[values.length - 1];
            assertEquals(answer, p.answer(), p.question());
            assertTrue(p.solution().endsWith(" The answer is " + answer + "."), p.solution());
            assertEquals(p.solution().indexOf("The answer is"), p.solution().lastIndexOf("The answer is"), p.solution());
            assertEquals(new ArithmeticRecord(p.question(), p.solution(), p.level()), p.record());
        }
    }

    @Test
    void theSolutionWritesTheStructuredStepsAsTrueEquations() {
        for (WordProblem p : problems) {
            long[] values = evaluate(p.calculation());
            Matcher m = EQUATION.matcher(p.solution());
            List<Long> results = new ArrayList<>();
            while (m.find()) {
                long a = Long.parseLong(m.group(1));
                long b = Long.parseLong(m.group(3));
                long c = Long.parseLong(m.group(4));
                long expected = switch (m.group(2)) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    default -> a / b;
                };
                assertEquals(expected, c, m.group() + " in: " + p.solution());
                if (m.group(2).equals("/")) {
                    assertEquals(0, a % b, m.group());
                }
                results.add(c);
            }
            List<Long> stepValues = new ArrayList<>();
            for (long v : values) {
                stepValues.add(v);
            }
            assertEquals(stepValues, results, "one equation per step, in order: " + p.solution());
        }
    }

    @Test
    void theQuestionStatesExactlyTheNumbersTheCalculationUses() {
        for (WordProblem p : problems) {
            Set<Integer> inQuestion = new HashSet<>();
            Matcher m = NUMBER.matcher(p.question());
            while (m.find()) {
                inQuestion.add(Integer.parseInt(m.group()));
            }
            assertEquals(new HashSet<>(p.calculation().numbers()), inQuestion, p.question());
        }
    }

    @Test
    void levelsGrowInStepsAndOperations() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (WordProblem p : problems) {
            counts.merge(p.level(), 1, Integer::sum);
            List<Step> steps = p.calculation().steps();
            Set<Op> ops = new HashSet<>(steps.stream().map(Step::op).toList());
            switch (p.level()) {
                case 1 -> {
                    assertEquals(1, steps.size());
                    assertTrue(Set.of(Op.ADD, Op.SUB).containsAll(ops));
                    assertTrue(p.calculation().numbers().stream().allMatch(n -> n >= 2 && n <= 20), p.question());
                }
                case 2 -> {
                    assertEquals(2, steps.size());
                    assertTrue(Set.of(Op.ADD, Op.SUB).containsAll(ops));
                }
                case 3 -> {
                    assertEquals(3, steps.size());
                    assertTrue(ops.contains(Op.MUL) || ops.contains(Op.DIV), p.question());
                }
                case 4 -> assertEquals(4, steps.size());
                default -> throw new AssertionError("level " + p.level());
            }
        }
        assertEquals(Map.of(1, 600, 2, 600, 3, 600, 4, 600), counts);
    }

    @Test
    void malformedCalculationsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Calculation(List.of(new Step(Operand.literal(2), Op.SUB, Operand.literal(5)))));
        assertThrows(ArithmeticException.class,
                () -> new Calculation(List.of(new Step(Operand.literal(7), Op.DIV, Operand.literal(2)))));
        assertThrows(IllegalArgumentException.class,
                () -> new Calculation(List.of(new Step(Operand.result(0), Op.ADD, Operand.literal(2)))));
        Calculation ok = new Calculation(List.of(new Step(Operand.literal(12), Op.MUL, Operand.literal(3)),
                new Step(Operand.result(0), Op.DIV, Operand.literal(4))));
        assertEquals("12*3;r0/4", ok.combination());
        assertEquals("36 / 4 = 9", ok.equation(1));
        assertThrows(IllegalArgumentException.class, () -> new WordProblem(1, "s", "q?", "The answer is 8.", ok));
    }
}
