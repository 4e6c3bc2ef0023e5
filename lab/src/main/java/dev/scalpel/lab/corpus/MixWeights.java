package dev.scalpel.lab.corpus;

/**
 * Relative frequencies of the four sources in the training mix (by document, not by token). A weight of 0 leaves a
 * source out. Fact documents are short and each fact must be seen many times, so facts usually get more weight than
 * their share of the data.
 */
public record MixWeights(double text, double facts, double arithmetic, double prose) {
    public MixWeights {
        for (double w : new double[] {text, facts, arithmetic, prose}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("mix weights must be finite and non-negative: " + this);
            }
        }
        if (text + facts + arithmetic + prose <= 0) {
            throw new IllegalArgumentException("at least one mix weight must be positive");
        }
    }

    public double weight(Source source) {
        return switch (source) {
            case TEXT -> text;
            case FACTS -> facts;
            case ARITHMETIC -> arithmetic;
            case PROSE -> prose;
        };
    }
}
