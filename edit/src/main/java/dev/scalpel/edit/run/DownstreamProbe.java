package dev.scalpel.edit.run;

import dev.scalpel.core.model.TransformerModel;
import java.util.Map;

/** Quality of the edited model beyond the edits themselves, measured on a fixed set (perplexity, task accuracy). */
@FunctionalInterface
public interface DownstreamProbe {
    /** Named measurements, e.g. {"perplexity": 88.1, "arithmetic_level_1": 0.62}. */
    Map<String, Double> measure(TransformerModel model);

    DownstreamProbe NONE = model -> Map.of();
}
