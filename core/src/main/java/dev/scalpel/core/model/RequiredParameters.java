package dev.scalpel.core.model;

import dev.scalpel.core.ScalpelException;
import java.util.List;

/**
 * The parameters an architecture needs, for code that builds a model from weights that did not come from a Hugging
 * Face folder (an ONNX import, say) and must check them as {@link Models#load} checks a checkpoint.
 */
public final class RequiredParameters {
    private RequiredParameters() {
    }

    /** Every parameter name {@code model}'s architecture reads in its forward pass. */
    public static List<String> of(TransformerModel model) {
        return List.copyOf(model.requiredParameters());
    }

    /** @throws ScalpelException naming {@code source} and up to five missing parameters if any is missing */
    public static void check(TransformerModel model, String source) {
        List<String> missing = of(model).stream().filter(n -> !model.parameters().contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new ScalpelException(source + ": lacks " + missing.size() + " parameter(s) that "
                    + model.architecture().modelType() + " needs, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
    }
}
