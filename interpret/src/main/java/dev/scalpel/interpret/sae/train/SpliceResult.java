package dev.scalpel.interpret.sae.train;

/**
 * How much of the model's behavior survives an SAE spliced in at its hook.
 *
 * @param measure what was measured
 * @param clean the model as it is (mean next-token loss; or 1, the cosine of an embedding with itself)
 * @param spliced with the SAE's reconstruction in place of the activation
 * @param zeroAblated with zeros in place of the activation (the reference for "nothing recovered")
 * @param count predicted tokens (loss) or texts (cosine) averaged over
 */
public record SpliceResult(Measure measure, double clean, double spliced, double zeroAblated, long count) {

    /** What a splice evaluation measures. */
    public enum Measure {
        /** Causal LMs: mean cross-entropy of each next token. */
        NEXT_TOKEN_LOSS,
        /** Encoders: mean cosine between the sentence embedding with and without the splice. */
        EMBEDDING_COSINE
    }

    /** spliced - clean: the loss the splice adds, or the cosine it loses (negative). */
    public double change() {
        return spliced - clean;
    }

    /**
     * The fraction of the zero-ablation damage the SAE avoids: (zero - spliced) / (zero - clean); 1 is a perfect
     * reconstruction, 0 no better than zeros (SAELens's "CE loss score" for LMs).
     */
    public double recovered() {
        return (zeroAblated - spliced) / (zeroAblated - clean);
    }
}
