package dev.scalpel.edit.rome;

import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.Activations;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.SubjectLocator;
import dev.scalpel.edit.ValueOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROME (Meng et al. 2022): one fact at a time, a rank-one update of one layer's down projection. The key k* is the mean
 * over the context templates of the key at the subject's last token; the value v* is optimized at the MLP output (not
 * the block output); u = C0^-1 k* / ||C0^-1 k*||, right = (v* - out) / (k^T u) with k the bare prompt's key and out the
 * module's real output there (W k plus the bias where the projection has one, as GPT-2's c_proj does), and
 * Delta = right u^T, so that (W + Delta) k + b = v*: after the edit the MLP outputs v*, as in the reference compute_v.
 */
public final class Rome implements Editor {
    private final EditContext context;
    private final RomeHyperparameters hp;

    public Rome(EditContext context, RomeHyperparameters hp) {
        this.context = context;
        this.hp = hp;
    }

    @Override
    public String name() {
        return "rome";
    }

    /**
     * The rank-one update of one request, without applying it (tests check its algebra).
     *
     * @param key k, the bare prompt's key at the subject's last token
     * @param value v*, what the MLP should output there
     * @param currentOutput what it outputs there before the edit (W k, plus the bias if any)
     * @param valueIterations the value optimization's iterations
     */
    public record RankOne(Matrix delta, double[] key, double[] value, double[] currentOutput, int valueIterations) {
    }

    public RankOne compute(EditRequest request) {
        int layer = context.site().lastLayer();
        ValueOptimizer.Value v = context.values().optimize(request, context.contextTemplates(), outputHook(layer),
                hp.value());
        double[] kStar = meanKey(request, layer);
        Map<String, double[]> bare = bareKeyAndOutput(request, layer);
        double[] k = bare.get(context.site().keyHook(layer));
        double[] current = bare.get(outputHook(layer));
        Matrix w = context.site().read(context.model(), layer);                // [d_model, d_ff]
        Matrix c0 = context.secondMoments().get(layer);
        Matrix u = Linalg.solve(c0, column(kStar));
        u = u.scale(1.0 / u.norm());
        double kDotU = 0;
        for (int i = 0; i < k.length; i++) {
            kDotU += k[i] * u.get(i, 0);
        }
        double[] right = new double[w.rows()];
        for (int i = 0; i < right.length; i++) {
            right[i] = (v.z()[i] - current[i]) / kDotU;
        }
        Matrix delta = column(right).times(u.transpose());
        return new RankOne(delta, k, v.z(), current, v.iterations());
    }

    /**
     * Where v* is optimized and read: the down projection's own output, bias included (the MLP's output; on Gemma 2,
     * before its post-feed-forward norm, as the reference hooks the MLP module's output).
     */
    private String outputHook(int layer) {
        return context.site().projectionOutputHook(layer);
    }

    @Override
    public BatchResult apply(List<EditRequest> batch) {
        long t0 = System.nanoTime();
        int layer = context.site().lastLayer();
        List<Integer> iterations = new ArrayList<>();
        double total = 0;
        double keyNorms = 0;
        for (EditRequest r : batch) {
            RankOne update = compute(r);
            for (double v : update.key()) {
                keyNorms += v * v / batch.size();
            }
            context.site().add(context.model(), layer, update.delta());
            total += update.delta().norm();
            iterations.add(update.valueIterations());
        }
        Map<Integer, Double> norms = new LinkedHashMap<>();
        norms.put(layer, total);
        return new BatchResult((System.nanoTime() - t0) / 1e9, Double.NaN, iterations, norms, Map.of(layer, keyNorms));
    }

    private double[] meanKey(EditRequest r, int layer) {
        List<String> texts = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (String context : context.contextTemplates()) {
            String template = context.replace("{}", r.prompt());
            texts.add(template.replace("{}", r.subject()));
            positions.add(SubjectLocator.lastSubjectToken(this.context.tokenizer(), template, r.subject()));
        }
        Matrix all = keysAt(texts, positions, layer);
        double[] mean = new double[all.cols()];
        for (int i = 0; i < all.rows(); i++) {
            for (int j = 0; j < all.cols(); j++) {
                mean[j] += all.get(i, j) / all.rows();
            }
        }
        return mean;
    }

    /** The bare prompt's key and MLP output at the subject's last token, by hook name. */
    private Map<String, double[]> bareKeyAndOutput(EditRequest r, int layer) {
        TokenBatch batch = TokenBatch.right(List.of(context.tokenizer().encode(r.filledPrompt())), context.padId());
        int[] at = {SubjectLocator.lastSubjectToken(context.tokenizer(), r.prompt(), r.subject())};
        Map<String, double[]> rows = new LinkedHashMap<>();
        Activations.at(context.model(), batch, at, List.of(context.site().keyHook(layer), outputHook(layer)))
                .forEach((hook, m) -> rows.put(hook, Arrays.copyOf(m.data(), m.cols())));
        return rows;
    }

    private Matrix keysAt(List<String> texts, List<Integer> positions, int layer) {
        TokenBatch batch = TokenBatch.right(texts.stream().map(context.tokenizer()::encode).toList(), context.padId());
        return Activations.at(context.model(), batch, positions.stream().mapToInt(Integer::intValue).toArray(),
                List.of(context.site().keyHook(layer))).get(context.site().keyHook(layer));
    }

    private static Matrix column(double[] v) {
        return new Matrix(v.length, 1, v.clone());
    }
}
