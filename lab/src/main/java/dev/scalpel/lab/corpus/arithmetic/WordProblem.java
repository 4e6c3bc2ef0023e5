package dev.scalpel.lab.corpus.arithmetic;

/**
 * A word problem: the question, its worked solution (ending exactly "The answer is N."), its level, the story it was
 * written from, and its structured form.
 */
public record WordProblem(int level, String story, String question, String solution, Calculation calculation) {
    public WordProblem {
        String ending = "The answer is " + calculation.answer() + ".";
        if (!solution.endsWith(ending)) {
            throw new IllegalArgumentException("solution of '" + question + "' does not end with '" + ending + "'");
        }
    }

    public int answer() {
        return calculation.answer();
    }

    /** What the jsonl files hold. */
    public ArithmeticRecord record() {
        return new ArithmeticRecord(question, solution, level);
    }
}
