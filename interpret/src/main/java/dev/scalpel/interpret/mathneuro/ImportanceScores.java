package dev.scalpel.interpret.mathneuro;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * MathNeuro's importance of every weight of every linear module: for one sample with input X [tokens, in] to a module
 * with weight W [out, in], S_ij = |W_ij| x ||X_:,j||_2 (the norm over that sample's tokens), summed over the samples,
 * one forward pass per sample as the reference does (a sum of per-sample norms, not one norm over all tokens).
 *
 * <p>|W_ij| is the same for every sample, so the sum is |W_ij| times the sum of the per-sample column norms: the pass
 * accumulates one vector per module input (in double precision; the reference accumulates S in bf16), and S is formed
 * once at the end, in float32. Scores are laid out [out, in] row-major whatever the module's storage.
 */
public final class ImportanceScores {
    /** One module's scores, [out, in] row-major. */
    public record ModuleScores(LinearModule module, float[] scores) {
    }

    private ImportanceScores() {
    }

    /** The scores of every linear module of {@code model} over {@code samples} (token ids, each a forward pass). */
    public static Map<String, ModuleScores> of(TransformerModel model, List<long[]> samples) {
        List<LinearModule> modules = model.linearModules();
        List<String> hooks = new ArrayList<>(new LinkedHashSet<>(modules.stream().map(LinearModule::inputHook).toList()));
        Map<String, double[]> normSums = new LinkedHashMap<>();
        modules.forEach(m -> normSums.putIfAbsent(m.inputHook(), new double[m.inFeatures()]));
        ActivationStream stream = ActivationStream.of(model, hooks).lastPositionOnly();
        for (long[] sample : samples) {
            stream.forward(TokenBatch.right(List.of(sample), 0), pass -> {
                for (String hook : hooks) {
                    NDArray x = pass.at(hook);   // [1, tokens, in]
                    float[] norms = x.square().sum(new int[] {0, 1}).sqrt().toFloatArray();
                    double[] sum = normSums.get(hook);
                    for (int j = 0; j < norms.length; j++) {
                        sum[j] += norms[j];
                    }
                }
                return null;
            });
        }
        Map<String, ModuleScores> out = new LinkedHashMap<>();
        for (LinearModule m : modules) {
            float[] w = model.parameters().get(m.weight()).toFloatArray();
            double[] n = normSums.get(m.inputHook());
            int in = m.inFeatures();
            int outs = m.outFeatures();
            float[] s = new float[in * outs];
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < in; i++) {
                    float wij = m.storedInByOut() ? w[i * outs + o] : w[o * in + i];
                    s[o * in + i] = (float) (Math.abs(wij) * n[i]);
                }
            }
            out.put(m.name(), new ModuleScores(m, s));
        }
        return out;
    }
}
