package dev.scalpel.lab.build;

import dev.scalpel.lab.corpus.Profile;

/** How big a lab build is: {@code DEFAULT} (the real models, hours on 2 cores) or {@code TINY} (tests). */
public enum LabProfile {
    DEFAULT(Profile.DEFAULT, 4100),
    TINY(Profile.TINY, 512);

    private final Profile corpus;
    private final int vocabSize;

    LabProfile(Profile corpus, int vocabSize) {
        this.corpus = corpus;
        this.vocabSize = vocabSize;
    }

    public Profile corpus() {
        return corpus;
    }

    /** Tokenizer size: about 4,096 learned entries plus BOS, EOS, PAD and MASK for the default build. */
    public int vocabSize() {
        return vocabSize;
    }
}
