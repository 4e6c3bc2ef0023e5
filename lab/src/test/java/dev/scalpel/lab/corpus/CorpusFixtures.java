package dev.scalpel.lab.corpus;

/** Corpora shared by the tests of one JVM: building them is deterministic, so one build serves every reader. */
public final class CorpusFixtures {
    public static final long SEED = 20240917L;

    private CorpusFixtures() {}

    public static LabCorpus tiny() {
        return Tiny.CORPUS;
    }

    private static final class Tiny {
        static final LabCorpus CORPUS = LabCorpus.build(SEED, Profile.TINY);
    }
}
