package dev.scalpel.edit.rome;

import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.edit.Activations;
import dev.scalpel.edit.EditContext;
import dev.scalpel.edit.EditRequest;
import dev.scalpel.edit.EditSite;
import dev.scalpel.edit.Editor;
import dev.scalpel.edit.SubjectLocator;
import dev.scalpel.edit.ValueOptimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROME (Meng et al. 2022): one fact at a time, a rank-one update of one layer's down projection. The key k* is the mean
 * over the context templates of the key at the subject's last token; the value v* is optimized at the MLP output (not
 * the block output); u = C0^-1 k* / ||C0^-1 k*||, right = (v* - W k) / (k^T u) with k the bare prompt's key, and
 * Delta = right u^T, so that Delta k = v* - W k: the edited layer maps k to v*.
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

    /** The rank-one update of one request, without applying it (tests check its algebra). */
    public record RankOne(Matrix delta, double[] key, double[] value, double[] currentOutput) {
    }

    public RankOne compute(EditRequest request) {
        int layer = context.site().lastLayer();
        ValueOptimizer.Value v = context.values().optimize(request, context.contextTemplates(),
                "blocks." + layer + ".hook_mlp_out", hp.value());
        double[] kStar = meanKey(request, layer);
        double[] k = bareKey(request, layer);
        Matrix w = context.site().read(context.model(), layer);                // [d_model, d_ff]
        Matrix c0 = context.secondMoments().get(layer);
        Matrix u = Linalg.solve(c0, column(kStar));
        u = u.scale(1.0 / u.norm());
        double kDotU = 0;
        for (int i = 0; i < k.length; i++) {
            kDotU += k[i] * u.get(i, 0);
        }
        Matrix wk = w.times(column(k));
        double[] right = new double[w.rows()];
        for (int i = 0; i < right.length; i++) {
            right[i] = (v.z()[i] - wk.get(i, 0)) / kDotU;
        }
        Matrix delta = column(right).times(u.transpose());
        double[] current = new double[w.rows()];
        for (int i = 0; i < current.length; i++) {
            current[i] = wk.get(i, 0);
        }
        return new RankOne(delta, k, v.z(), current);
    }

    @Override
    public BatchResult apply(List<EditRequest> batch) {
        long t0 = System.nanoTime();
        int layer = context.site().lastLayer();
        List<Integer> iterations = new ArrayList<>();
        double total = 0;
        for (EditRequest r : batch) {
            RankOne update = compute(r);
            context.site().add(context.model(), layer, update.delta());
            total += update.delta().norm();
            iterations.add(hp.value().steps());
        }
        Map<Integer, Double> norms = new LinkedHashMap<>();
        norms.put(layer, total);
        return new BatchResult((System.nanoTime() - t0) / 1e9, iterations, norms);
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

    private double[] bareKey(EditRequest r, int layer) {
        Matrix m = keysAt(List.of(r.filledPrompt()),
                List.of(SubjectLocator.lastSubjectToken(context.tokenizer(), r.prompt(), r.subject())), layer);
        double[] k = new double[m.cols()];
        for (int j = 0; j < k.length; j++) {
            k[j] = m.get(0, j);
        }
        return k;
    }

    private Matrix keysAt(List<String> texts, List<Integer> positions, int layer) {
        TokenBatch batch = TokenBatch.right(texts.stream().map(context.tokenizer()::encode).toList(), context.padId());
        return Activations.at(context.model(), batch, positions.stream().mapToInt(Integer::intValue).toArray(),
                List.of(EditSite.keyHook(layer))).get(EditSite.keyHook(layer));
    }

    private static Matrix column(double[] v) {
        return new Matrix(v.length, 1, v.clone());
    }
}
