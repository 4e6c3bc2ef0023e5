package dev.scalpel.lab.corpus.arithmetic;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.Shuffle;
import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.SplitAssigner;
import dev.scalpel.lab.corpus.Splits;
import dev.scalpel.lab.corpus.StableHash;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes problems level by level from a seeded stream until each split has its count. A problem goes to the split
 * its number combination is assigned to (80% train, 10% validation, 10% test, by a hash of seed and combination),
 * and is skipped when that split is full or its question was already written.
 */
public final class ArithmeticCorpusBuilder {
    /** Share of each level's number combinations reserved for validation, and again for test. */
    static final double HELD_OUT_SHARE = 0.1;
    /** Generated problems per needed problem before giving up: held-out splits take a tenth of the stream each. */
    private static final int ATTEMPTS_PER_PROBLEM = 200;

    private ArithmeticCorpusBuilder() {}

    public static ArithmeticCorpus build(long seed, Profile profile) {
        SplitAssigner combinations = new SplitAssigner(seed, HELD_OUT_SHARE, HELD_OUT_SHARE);
        Map<Split, List<WordProblem>> bySplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            bySplit.put(s, new ArrayList<>());
        }
        Set<String> questions = new HashSet<>();
        Set<String> heldOut = new HashSet<>();
        for (Level level : Level.all()) {
            Picker pick = new Picker(new Random(StableHash.derive(seed, "arithmetic:level" + level.number())));
            Map<Split, Integer> needed = new EnumMap<>(Split.class);
            needed.put(Split.TRAIN, profile.problemsPerLevel());
            needed.put(Split.VALIDATION, profile.heldOutProblemsPerLevel());
            needed.put(Split.TEST, profile.heldOutProblemsPerLevel());
            long budget = (long) ATTEMPTS_PER_PROBLEM * (profile.problemsPerLevel() + 2L * profile.heldOutProblemsPerLevel());
            long attempts = 0;
            while (needed.values().stream().anyMatch(n -> n > 0)) {
                if (++attempts > budget) {
                    throw new ScalpelException("arithmetic level " + level.number() + ": still missing " + needed
                            + " problems after " + budget + " attempts; the level has too few distinct questions or"
                            + " number combinations for profile '" + profile.name() + "'");
                }
                WordProblem problem = level.generate(pick);
                String combination = ArithmeticCorpus.combinationKey(problem);
                Split split = combinations.assign("arithmetic:" + combination);
                if (needed.get(split) == 0 || !questions.add(problem.question())) {
                    continue;
                }
                if (split != Split.TRAIN) {
                    heldOut.add(combination);
                }
                bySplit.get(split).add(problem);
                needed.merge(split, -1, Integer::sum);
            }
        }
        return new ArithmeticCorpus(new Splits<>(
                Shuffle.shuffled(bySplit.get(Split.TRAIN), seed, "arithmetic-order:train"),
                Shuffle.shuffled(bySplit.get(Split.VALIDATION), seed, "arithmetic-order:validation"),
                Shuffle.shuffled(bySplit.get(Split.TEST), seed, "arithmetic-order:test")), heldOut);
    }
}
