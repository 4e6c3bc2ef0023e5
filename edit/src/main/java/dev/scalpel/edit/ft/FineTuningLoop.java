package dev.scalpel.edit.ft;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.edit.EditRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The loop EasyEdit's FT and LoRA share: epochs over the batch's requests in chunks, one Adam step per chunk unless its
 * loss is already under the stop threshold, and an early end once an epoch's mean loss is under it.
 */
public final class FineTuningLoop {
    /** torch.optim.Adam's defaults, without weight decay (every EasyEdit FT and LoRA config sets it to 0). */
    public static final AdamW.Config ADAM = new AdamW.Config(0.9, 0.999, 1e-8, 0);

    private FineTuningLoop() {
    }

    /** The batch's requests in chunks of {@code size}, each as the rows {@code loss} reads. */
    public static List<EditLoss.Rows> chunks(List<EditRequest> batch, EditLoss loss, int size, Tokenizer tokenizer,
                                             long padId) {
        List<EditLoss.Rows> chunks = new ArrayList<>();
        for (int i = 0; i < batch.size(); i += size) {
            chunks.add(loss.rows(batch.subList(i, Math.min(batch.size(), i + size)), tokenizer, padId));
        }
        return chunks;
    }

    /**
     * Runs up to {@code maxEpochs} epochs; {@code step} takes one chunk's step and returns its loss. Returns the number
     * of epochs run.
     */
    public static int epochs(List<EditLoss.Rows> chunks, int maxEpochs, double stopLoss, ToDoubleFunction<EditLoss.Rows> step) {
        int rows = chunks.stream().mapToInt(c -> c.batch().size()).sum();
        int epochs = 0;
        while (epochs < maxEpochs) {
            epochs++;
            double sum = 0;
            for (EditLoss.Rows chunk : chunks) {
                sum += step.applyAsDouble(chunk) * chunk.batch().size();
            }
            if (sum / rows < stopLoss) {
                break;
            }
        }
        return epochs;
    }

    /**
     * One chunk's loss under {@code hooks} (made in the step's manager; {@link Hooks#none()} for none), and Adam's step
     * on the {@code trained} parameters unless the loss is under {@code stopLoss}.
     */
    public static double gradientStep(TransformerModel model, EditLoss.Rows chunk, Function<NDManager, Hooks> hooks,
                                      Parameters trained, AdamW adam, double learningRate, double stopLoss, NDManager m) {
        trained.zeroGradients();
        double value;
        try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = EditLoss.loss(model, chunk, hooks.apply(step), step);
            value = loss.getFloat();
            if (value >= stopLoss) {
                gc.backward(loss);
            }
        }
        if (value >= stopLoss) {   // outside the collector, as the trainer steps: the update is not recorded
            adam.step(learningRate);
        }
        return value;
    }
}
