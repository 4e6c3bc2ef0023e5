package dev.scalpel.lab.corpus.arithmetic;

import dev.scalpel.lab.corpus.Splits;
import java.util.Set;

/**
 * The arithmetic word problems, split so that no question appears in two splits and the held-out number combinations
 * ({@link Calculation#combination()} prefixed with the level) appear only in validation or test.
 */
public record ArithmeticCorpus(Splits<WordProblem> problems, Set<String> heldOutCombinations) {
    public ArithmeticCorpus {
        heldOutCombinations = Set.copyOf(heldOutCombinations);
    }

    /** The key a combination is held out by: "1:7+9". */
    public static String combinationKey(WordProblem problem) {
        return problem.level() + ":" + problem.calculation().combination();
    }
}
