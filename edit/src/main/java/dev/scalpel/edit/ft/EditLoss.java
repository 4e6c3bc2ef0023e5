package dev.scalpel.edit.ft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Scalars;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.edit.EditRequest;
import java.util.ArrayList;
import java.util.List;

/** What fine-tuning fits, as EasyEdit's objective_optimization names it. */
public enum EditLoss {
    /**
     * FT-L as the ROME paper's baseline code has it: at the prompt's last token, the mean negative log-probability of
     * every token of the new target (a bag of tokens at one position, not a teacher-forced sequence).
     */
    PROMPT_LAST,
    /** FT-M: the prompt followed by the new target, cross-entropy on the target's tokens, teacher-forced. */
    TARGET_NEW;

    /**
     * The batch this loss reads, with per row, position and slot the token to score and its weight (slot K: PROMPT_LAST
     * scores up to the longest target's length at one position, TARGET_NEW one token per position).
     */
    public record Rows(TokenBatch batch, int slots, long[] labels, float[] weights) {
    }

    public Rows rows(List<EditRequest> requests, Tokenizer tokenizer, long padId) {
        List<long[]> prompts = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        int longest = 0;
        for (EditRequest r : requests) {
            long[] target = tokenizer.encode(" " + r.targetNew(), false);
            if (target.length == 0) {
                throw new IllegalArgumentException("edit " + r.caseId() + ": empty target");
            }
            long[] prompt = tokenizer.encode(r.filledPrompt());
            if (this == TARGET_NEW) {
                long[] joined = java.util.Arrays.copyOf(prompt, prompt.length + target.length);
                System.arraycopy(target, 0, joined, prompt.length, target.length);
                prompt = joined;
            }
            prompts.add(prompt);
            targets.add(target);
            longest = Math.max(longest, target.length);
        }
        TokenBatch batch = TokenBatch.right(prompts, padId);
        int width = batch.length();
        int slots = this == PROMPT_LAST ? longest : 1;
        long[] labels = new long[requests.size() * width * slots];
        float[] weights = new float[labels.length];
        for (int row = 0; row < requests.size(); row++) {
            long[] target = targets.get(row);
            int length = batch.length(row);
            for (int j = 0; j < target.length; j++) {
                // PROMPT_LAST: every target token at the last position; TARGET_NEW: position p predicts token p + 1.
                int position = this == PROMPT_LAST ? length - 1 : length - target.length - 1 + j;
                int slot = this == PROMPT_LAST ? j : 0;
                int at = (row * width + position) * slots + slot;
                labels[at] = target[j];
                weights[at] = 1f / target.length;
            }
        }
        return new Rows(batch, slots, labels, weights);
    }

    /** The loss of {@code rows} under the model as it is now (mean over rows), differentiable. */
    static NDArray loss(TransformerModel model, Rows rows, NDManager manager) {
        return loss(model, rows, Hooks.none(), manager);
    }

    /** The same under {@code hooks} (an adapter's, say). */
    public static NDArray loss(TransformerModel model, Rows rows, Hooks hooks, NDManager manager) {
        TokenBatch batch = rows.batch();
        NDArray ids = batch.ids(manager);
        NDArray logits = model.forward(ForwardRequest.of(ids).withAttentionMask(batch.mask(manager)), hooks, manager)
                .logits();
        Shape shape = new Shape(batch.size(), batch.length(), rows.slots());
        NDArray picked = logits.logSoftmax(-1).gather(manager.create(rows.labels(), shape), -1);
        return Scalars.div(picked.mul(manager.create(rows.weights(), shape)).sum(), -(float) batch.size());
    }
}
