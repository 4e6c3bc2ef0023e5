package dev.scalpel.compress.qid;

/** QiD(N, D, P) = k D^beta / (N^alpha P^gamma). */
public record QidLaw(double k, double alpha, double beta, double gamma) {

    /** The coefficients the spec cites for the paper's Pythia fit (one secondary source, unverified). */
    public static final QidLaw PAPER = new QidLaw(0.017, 0.2261, 0.5251, 5.4967);

    public double predict(double parameters, double tokens, double bits) {
        return k * Math.pow(tokens, beta) / (Math.pow(parameters, alpha) * Math.pow(bits, gamma));
    }

    /**
     * The training tokens at which a model of {@code parameters} quantized to {@code bits} shows {@code qid}: the law
     * solved for D, the paper's estimate of how fully trained a model is.
     */
    public double tokensFor(double qid, double parameters, double bits) {
        if (!(qid > 0) || !(beta != 0)) {
            throw new IllegalArgumentException("the training level follows from a positive QiD and a law with beta != 0;"
                    + " got QiD " + qid + ", beta " + beta);
        }
        return Math.pow(qid * Math.pow(parameters, alpha) * Math.pow(bits, gamma) / k, 1 / beta);
    }

    double[] asArray() {
        return new double[] {k, alpha, beta, gamma};
    }

    static QidLaw of(double[] p) {
        return new QidLaw(p[0], p[1], p[2], p[3]);
    }
}
