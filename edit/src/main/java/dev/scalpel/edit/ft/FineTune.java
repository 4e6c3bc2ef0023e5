package dev.scalpel.edit.ft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.Editor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EasyEdit's FT loop. For each batch of edits: a fresh Adam (torch's defaults; weight decay 0 as in every shipped
 * EasyEdit config) over the edited layers' down projections only; for each epoch, each chunk of {@code batchSize}
 * requests takes a gradient step unless its loss is already under {@code stopLoss}, and then every weight is clamped to
 * within {@code normConstraint} of its value before the batch; the epochs end early once their mean loss is under
 * {@code stopLoss}. The model keeps the fine-tuned weights; later batches start from them.
 */
public final class FineTune implements Editor {
    private final EditContext context;
    private final FineTuneHyperparameters hp;

    FineTune(EditContext context, FineTuneHyperparameters hp) {
        this.context = context;
        this.hp = hp;
    }

    @Override
    public String name() {
        return hp.loss() == EditLoss.PROMPT_LAST ? "ft-l" : "ft-m";
    }

    @Override
    public BatchResult apply(List<EditRequest> batch) {
        long start = System.nanoTime();
        TransformerModel model = context.model();
        Parameters params = model.parameters();
        Map<Integer, String> weights = new LinkedHashMap<>();
        hp.layers().forEach(layer -> weights.put(layer, context.site().module(layer).weight()));
        List<EditLoss.Rows> chunks = FineTuningLoop.chunks(batch, hp.loss(), hp.batchSize(), context.tokenizer(),
                context.padId());
        int epochs;
        Map<Integer, Double> deltaNorms = new LinkedHashMap<>();
        try (NDManager m = model.newManager(); AdamW adam = new AdamW(params, FineTuningLoop.ADAM, weights.values())) {
            Map<String, NDArray> before = new LinkedHashMap<>();
            for (String w : weights.values()) {
                NDArray copy = params.get(w).duplicate();
                copy.attach(m);
                before.put(w, copy);
                params.get(w).setRequiresGradient(true);
            }
            try {
                epochs = FineTuningLoop.epochs(chunks, hp.steps(), hp.stopLoss(), chunk -> {
                    double loss = FineTuningLoop.gradientStep(model, chunk, step -> Hooks.none(), params, adam,
                            hp.learningRate(), hp.stopLoss(), m);
                    clamp(params, before);
                    return loss;
                });
            } finally {
                weights.values().forEach(w -> params.get(w).setRequiresGradient(false));
            }
            weights.forEach((layer, w) -> {
                try (NDArray change = params.get(w).sub(before.get(w))) {
                    deltaNorms.put(layer, (double) change.norm().getFloat());
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BatchResult(seconds, Double.NaN, Collections.nCopies(batch.size(), epochs), deltaNorms, Map.of());
    }

    /** FT-L's bound: every weight within normConstraint of its value before the batch (torch.clamp). */
    private void clamp(Parameters params, Map<String, NDArray> before) {
        if (hp.normConstraint() == 0) {
            return;
        }
        float eps = (float) hp.normConstraint();
        before.forEach((name, original) -> {
            NDArray w = params.get(name);
            try (NDArray low = original.sub(eps); NDArray high = original.add(eps); NDArray floor = w.maximum(low);
                 NDArray bounded = floor.minimum(high)) {
                params.replace(name, bounded);
            }
        });
    }
}
