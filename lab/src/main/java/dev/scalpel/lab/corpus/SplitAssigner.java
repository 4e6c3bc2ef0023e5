package dev.scalpel.lab.corpus;

/**
 * Assigns a key (a synset id, a number combination) to a split by hashing it with the seed, so the assignment of one
 * key never depends on which other keys exist: the text of a synset and the facts about it land in the same split,
 * and a smaller profile keeps the assignments of a larger one.
 */
public record SplitAssigner(long seed, double validationFraction, double testFraction) {
    public SplitAssigner {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("split fractions must be non-negative and leave room for training: validation "
                    + validationFraction + ", test " + testFraction);
        }
    }

    public static SplitAssigner of(long seed, Profile profile) {
        return new SplitAssigner(seed, profile.validationFraction(), profile.testFraction());
    }

    public Split assign(String key) {
        double u = StableHash.unit(seed, "split:" + key);
        if (u < testFraction) {
            return Split.TEST;
        }
        if (u < testFraction + validationFraction) {
            return Split.VALIDATION;
        }
        return Split.TRAIN;
    }
}
