package dev.scalpel.edit.ft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.Editor;
import java.util.ArrayList;
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
    private static final AdamW.Config ADAM = new AdamW.Config(0.9, 0.999, 1e-8, 0);
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
        List<EditLoss.Rows> chunks = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += hp.batchSize()) {
            chunks.add(hp.loss().rows(batch.subList(i, Math.min(batch.size(), i + hp.batchSize())), context.tokenizer(),
                    context.padId()));
        }
        int epochs = 0;
        Map<Integer, Double> deltaNorms = new LinkedHashMap<>();
        try (NDManager m = model.newManager(); AdamW adam = new AdamW(params, ADAM, weights.values())) {
            Map<String, NDArray> before = new LinkedHashMap<>();
            for (String w : weights.values()) {
                NDArray copy = params.get(w).duplicate();
                copy.attach(m);
                before.put(w, copy);
                params.get(w).setRequiresGradient(true);
            }
            try {
                while (epochs < hp.steps()) {
                    epochs++;
                    double sum = 0;
                    for (EditLoss.Rows chunk : chunks) {
                        sum += step(model, chunk, adam, m) * chunk.batch().size();
                        clamp(params, before);
                    }
                    if (sum / batch.size() < hp.stopLoss()) {
                        break;
                    }
                }
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

    /** One chunk's loss, and Adam's step on it when the loss is not yet under the stop threshold. */
    private double step(TransformerModel model, EditLoss.Rows chunk, AdamW adam, NDManager m) {
        model.parameters().zeroGradients();
        double value;
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = EditLoss.loss(model, chunk, step);
            value = loss.getFloat();
            if (value >= hp.stopLoss()) {
                gc.backward(loss);
            }
        }
        if (value >= hp.stopLoss()) {   // outside the collector, as the trainer steps: the update is not recorded
            adam.step(hp.learningRate());
        }
        return value;
    }

    /** FT-L's bound: every weight within normConstraint of its value before the batch (torch.clamp). */
    private void clamp(Parameters params, Map<String, NDArray> before) {
        if (hp.normConstraint() == 0) {
            return;
        }
        float eps = (float) hp.normConstraint();
        before.forEach((name, original) -> {
            NDArray w = params.get(name);
            try (NDArray low = original.sub(eps); NDArray high = original.add(eps);
                 NDArray bounded = w.maximum(low).minimum(high)) {
                params.replace(name, bounded);
            }
        });
    }
}
