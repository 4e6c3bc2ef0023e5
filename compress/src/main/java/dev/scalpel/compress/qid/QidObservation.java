package dev.scalpel.compress.qid;

/**
 * One quantized checkpoint's degradation.
 *
 * @param parameters N, the model's non-embedding parameters
 * @param tokens D, the tokens it was trained on
 * @param bits P
 * @param qid the quantized model's held-out loss minus the full-precision model's (nats per token)
 */
public record QidObservation(double parameters, double tokens, double bits, double qid) {
    public QidObservation {
        if (!(parameters > 0) || !(tokens > 0) || !(bits > 0) || !Double.isFinite(qid)) {
            throw new IllegalArgumentException("a QiD observation needs positive N, D and P and a finite QiD; got N "
                    + parameters + ", D " + tokens + ", P " + bits + ", QiD " + qid);
        }
    }
}
