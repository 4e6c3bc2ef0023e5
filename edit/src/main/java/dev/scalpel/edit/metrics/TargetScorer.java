package dev.scalpel.edit.metrics;

import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Teacher-forced scores of a target continuation after a prompt: the per-token mean negative log-likelihood of
 * {@code " " + target} (CounterFact's ES/PS/NS compare these) and whether every target token is the argmax (zsRE's
 * token accuracy). Prompts are batched with right padding.
 */
public final class TargetScorer {
    private static final int BATCH = 64;

    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;

    public TargetScorer(TransformerModel model, Tokenizer tokenizer, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /**
     * @param meanNll mean over target tokens of -log p(token | prefix)
     * @param tokenAccuracy share of target tokens that are the argmax
     */
    public record Score(double meanNll, double tokenAccuracy) {
    }

    /** Scores {@code " " + targets[i]} after {@code prompts[i]}. */
    public List<Score> score(List<String> prompts, List<String> targets) {
        List<Score> out = new ArrayList<>();
        for (int start = 0; start < prompts.size(); start += BATCH) {
            int end = Math.min(prompts.size(), start + BATCH);
            out.addAll(scoreBatch(prompts.subList(start, end), targets.subList(start, end)));
        }
        return out;
    }

    private List<Score> scoreBatch(List<String> prompts, List<String> targets) {
        List<long[]> rows = new ArrayList<>();
        int[] promptLengths = new int[prompts.size()];
        long[][] targetIds = new long[prompts.size()][];
        for (int i = 0; i < prompts.size(); i++) {
            long[] p = tokenizer.encode(prompts.get(i));
            long[] t = tokenizer.encode(" " + targets.get(i), false);
            promptLengths[i] = p.length;
            targetIds[i] = t;
            long[] row = java.util.Arrays.copyOf(p, p.length + t.length);
            System.arraycopy(t, 0, row, p.length, t.length);
            rows.add(row);
        }
        TokenBatch batch = TokenBatch.right(rows, padId);
        return ActivationStream.of(model, List.of()).forward(batch, pass -> {
            List<Score> out = new ArrayList<>();
            NDArray logProbs = pass.output().logits().logSoftmax(-1);
            for (int i = 0; i < prompts.size(); i++) {
                double nll = 0;
                int correct = 0;
                for (int j = 0; j < targetIds[i].length; j++) {
                    NDArray row = logProbs.get(i, promptLengths[i] - 1 + j);
                    nll -= row.getFloat(targetIds[i][j]);
                    if (row.argMax().getLong() == targetIds[i][j]) {
                        correct++;
                    }
                }
                int n = Math.max(1, targetIds[i].length);
                out.add(new Score(nll / n, (double) correct / n));
            }
            return out;
        });
    }
}
