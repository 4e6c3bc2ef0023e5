package dev.scalpel.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** Gradients of a language-modeling loss with respect to a model's parameters. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * The loss and d(loss)/d(parameter) for every floating-point parameter, with labels = input ids (transformers'
     * {@code model(ids, labels=ids)}). Gradients are copies owned by {@code into}; the parameters are left without
     * gradient tracking.
     *
     * @param hooks applied during the forward pass (a hook may mix in arrays whose gradients the caller then reads)
     */
    public static Result ofNextTokenLoss(TransformerModel model, ForwardRequest request, Hooks hooks, NDManager into) {
        Parameters params = model.parameters();
        params.requireGradients(true);
        try (NDManager scratch = into.newSubManager()) {
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult out = model.forward(request, hooks, scratch);
                NDArray value = Losses.nextTokenCrossEntropy(out.logits(), request.inputIds(), request.attentionMask());
                collector.backward(value);
                loss = value.getFloat();
            }
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.asMap().entrySet()) {
                if (e.getValue().hasGradient()) {
                    NDArray g = e.getValue().getGradient();
                    NDArray copy = g.duplicate();
                    copy.attach(into);
                    g.close();
                    grads.put(e.getKey(), copy);
                }
            }
            return new Result(loss, grads);
        } finally {
            params.requireGradients(false);
        }
    }

    /**
     * The loss value and the gradient of every parameter by its Hugging Face name.
     *
     * @param loss the mean next-token cross-entropy
     */
    public record Result(float loss, Map<String, NDArray> gradients) {
    }
}
