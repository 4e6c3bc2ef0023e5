package dev.scalpel.core.model;

import dev.scalpel.core.io.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code scalpel inspect} reports about a model, as a record that serializes to JSON.
 *
 * @param parametersByDtype number of parameter elements per on-disk dtype
 * @param hookPoints every hook point name, in forward order
 * @param hookPointPatterns the same names with layer indices folded ({@code blocks.{0..11}.hook_resid_post})
 */
public record ModelSummary(String architecture, String modelType, long parameters, Map<String, Long> parametersByDtype,
                           int layers, int hiddenSize, int heads, int kvHeads, int headDim, int intermediateSize,
                           int vocabSize, int maxPositions, String rope, List<Integer> slidingWindows,
                           boolean tiedEmbeddings, List<String> hookPoints, List<String> hookPointPatterns) {

    private static final Pattern LAYER = Pattern.compile("^blocks\\.(\\d+)\\.(.*)$");

    public static ModelSummary of(TransformerModel model) {
        ModelConfig c = model.config();
        Map<String, Long> byDtype = new LinkedHashMap<>();
        Parameters p = model.parameters();
        for (String name : p.names()) {
            DType d = p.storedAs(name);
            byDtype.merge(d.name(), p.get(name).size(), Long::sum);
        }
        String rope = c.rope() == null ? "none (learned positions)" : c.rope().type() + " (theta " + c.rope().theta()
                + (c.rope().type().equals("default") ? "" : ", factor " + c.rope().factor()) + ")";
        return new ModelSummary(model.getClass().getSimpleName().replace("Model", ""), c.architecture().modelType(),
                p.count(), byDtype, c.numLayers(), c.hiddenSize(), c.numHeads(), c.numKvHeads(), c.headDim(),
                c.intermediateSize(), c.vocabSize(), c.maxPositions(), rope, c.slidingWindows(), c.tiedEmbeddings(),
                model.hookPoints(), foldLayers(model.hookPoints(), c.numLayers()));
    }

    static List<String> foldLayers(List<String> names, int layers) {
        Set<String> folded = new LinkedHashSet<>();
        String range = layers == 1 ? "0" : "{0.." + (layers - 1) + "}";
        for (String n : names) {
            Matcher m = LAYER.matcher(n);
            folded.add(m.matches() ? "blocks." + range + "." + m.group(2) : n);
        }
        return new ArrayList<>(folded);
    }
}
