package dev.scalpel.core.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Multiple choice scored by log-likelihood, as EleutherAI's harness scores it: each choice's tokens are what encoding
 * context + choice adds after the context's own tokens, and its score is the sum of their log-probabilities given
 * everything before them. A sequence longer than the model's context keeps its last tokens.
 */
public final class ChoiceLikelihood {
    private ChoiceLikelihood() {
    }

    /** Each choice's summed log-probability after {@code context}. */
    public static double[] of(TransformerModel model, Tokenizer tokenizer, String context, List<String> choices) {
        long[] prefix = tokenizer.encode(context, true);
        double[] out = new double[choices.size()];
        for (int c = 0; c < choices.size(); c++) {
            long[] whole = tokenizer.encode(context + choices.get(c), true);
            int start = Math.min(prefix.length, whole.length);
            if (start == whole.length) {
                throw new ScalpelException("choice " + c + " ('" + choices.get(c) + "') adds no token after the context");
            }
            int cut = Math.max(0, whole.length - model.config().maxPositions());
            long[] ids = Arrays.copyOfRange(whole, cut, whole.length);
            out[c] = continuation(model, ids, Math.max(1, start - cut));
        }
        return out;
    }

    /** Sum of log p(ids[t] | ids[..t]) for t from {@code from} on. */
    static double continuation(TransformerModel model, long[] ids, int from) {
        try (NDManager m = model.newManager()) {
            NDArray input = m.create(ids, new Shape(1, ids.length));
            try (ForwardResult r = model.forward(ForwardRequest.of(input), Hooks.none(), m)) {
                float[] logp = r.logits().logSoftmax(-1).toFloatArray();
                int vocab = (int) r.logits().getShape().get(2);
                double sum = 0;
                for (int t = from; t < ids.length; t++) {
                    sum += logp[(t - 1) * vocab + (int) ids[t]];
                }
                return sum;
            }
        }
    }

    /** The index of the most likely choice (the first on ties). */
    public static int best(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
