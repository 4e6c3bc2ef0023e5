package dev.scalpel.edit;

import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.model.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The target value of one edit (MEMIT's compute_z): the vector z that the last edited layer's output should take at
 * the subject's last token so that the model says the new target. A vector delta is added there in every rewrite
 * prompt (each context template + the prompt + the target's first tokens) and in the KL prompt "{subject} is a", and
 * optimized with Adam on: mean target NLL + klFactor * KL(p_now || p_init) at the KL prompt's subject token +
 * weightDecay * ||delta|| / ||h_init||^2, clamping ||delta|| to clampNormFactor * ||h_init||. z = h_init + delta.
 */
public final class ValueOptimizer {
    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;

    public ValueOptimizer(TransformerModel model, Tokenizer tokenizer, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /**
     * The result of optimizing one value.
     *
     * @param z the target output of the last edited layer at the subject's last token ([d_model])
     * @param hInit that output before the edit
     * @param iterations gradient iterations run (the cost of the edit)
     * @param finalLoss the loss at the last evaluation
     * @param stoppedBy "mpes", "loss" or "steps"
     * @param allTop1 per evaluated iteration, whether every target token was the teacher-forced top-1 in every rewrite
     *     prompt (what MPES counts)
     */
    public record Value(double[] z, double[] hInit, int iterations, double finalLoss, String stoppedBy,
                        List<Boolean> allTop1) {
    }

    /** MEMIT's value: delta added to the output of {@code layer} (the residual stream after the block). */
    public Value optimize(EditRequest request, List<String> contextTemplates, int layer, ValueHyperparameters config) {
        return optimize(request, contextTemplates, EditSite.outputHook(layer), config);
    }

    /**
     * The value at any hook point: MEMIT uses the block output, ROME the MLP output ({@code blocks.L.hook_mlp_out}).
     */
    public Value optimize(EditRequest request, List<String> contextTemplates, String hook, ValueHyperparameters config) {
        long[] target = tokenizer.encode(" " + request.targetNew(), false);
        if (target.length == 0) {
            throw new IllegalArgumentException("edit " + request.caseId() + ": empty target");
        }
        RewritePrompts p = rewritePrompts(request, contextTemplates, target);
        TokenBatch batch = p.batch();
        List<Integer> subjectAt = p.subjectAt();
        int rewrites = p.rewrites();
        int rows = batch.size();
        int width = batch.length();
        int d = model.config().hiddenSize();
        long[] labels = p.labels();
        float[] weights = p.weights();
        float[] at = p.at();
        try (NDManager m = model.newManager()) {
            NDArray ids = batch.ids(m);
            NDArray mask = batch.mask(m);
            NDArray where = m.create(at, new Shape(rows, width, 1));
            NDArray labelIds = m.create(labels, new Shape(rewrites, width, 1));
            NDArray labelWeights = m.create(weights, new Shape(rewrites, width));
            NDArray delta = m.zeros(new Shape(d));
            delta.setRequiresGradient(true);
            double[] adamM = new double[d];
            double[] adamV = new double[d];
            double[] hInit = null;
            NDArray klInit = null;
            double loss = Double.NaN;
            int mpesHits = 0;
            List<Boolean> top1History = new ArrayList<>();
            String stoppedBy = "steps";
            int iteration = 0;
            for (; iteration < config.steps(); iteration++) {
                float[] deltaValues;
                float[] gradient;
                boolean allTop1;
                try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Hooks hooks = Hooks.builder(step).add(hook, (activation, name) -> activation.add(where.mul(delta)))
                            .cache(hook).build();
                    NDArray logits = model.forward(ForwardRequest.of(ids).withAttentionMask(mask), hooks, step).logits();
                    if (hInit == null) {
                        float[] h = hooks.cache().get(hook).get(0, subjectAt.get(0)).toFloatArray();
                        hInit = new double[d];
                        for (int j = 0; j < d; j++) {
                            hInit[j] = h[j];
                        }
                    }
                    NDArray logProbs = logits.logSoftmax(-1);
                    NDArray rewriteLogProbs = logProbs.get(":" + rewrites);
                    NDArray picked = rewriteLogProbs.gather(labelIds, -1).squeeze(-1);              // [rewrites, width]
                    NDArray nll = Scalars.div(picked.mul(labelWeights).sum(), -(float) rewrites);
                    NDArray klRow = logProbs.get(rows - 1, subjectAt.get(rows - 1));                   // [V]
                    if (klInit == null) {
                        klInit = klRow.duplicate();
                        klInit.attach(m);
                    }
                    NDArray kl = klRow.exp().mul(klRow.sub(klInit)).sum();
                    double hNorm = norm(hInit);
                    // ||delta||, with torch.norm's zero gradient at delta = 0 (a bare sqrt would give 0/0 there).
                    NDArray decay = Scalars.div(delta.square().sum().add(1e-20f).sqrt(), (float) (hNorm * hNorm));
                    NDArray total = nll.add(Scalars.mul(kl, (float) config.klFactor())).add(Scalars.mul(decay, (float) config.weightDecay()));
                    gc.backward(total);
                    loss = total.getFloat();
                    allTop1 = allTop1(rewriteLogProbs, labels, weights);
                    gradient = delta.getGradient().toFloatArray();
                    deltaValues = delta.toFloatArray();
                }
                top1History.add(allTop1);
                if (config.mpesExtra() >= 0 && allTop1) {
                    mpesHits++;
                    if (mpesHits >= config.mpesExtra() + 1) {
                        stoppedBy = "mpes";
                        break;
                    }
                }
                if (loss < config.earlyStopLoss()) {
                    stoppedBy = "loss";
                    break;
                }
                if (iteration == config.steps() - 1) {
                    break;   // MEMIT takes no step after the last evaluation
                }
                adamStep(deltaValues, gradient, adamM, adamV, iteration + 1, config.learningRate());
                clamp(deltaValues, config.clampNormFactor() * norm(hInit));
                delta.set(deltaValues);
                resetGradient(delta);
            }
            float[] dv = delta.toFloatArray();
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = hInit[j] + dv[j];
            }
            return new Value(z, hInit, Math.min(iteration + 1, config.steps()), loss, stoppedBy, List.copyOf(top1History));
        }
    }

    /**
     * The prompts a value is optimized on: each context template filled with the rewrite prompt and the target's first
     * tokens, then the KL prompt "{subject} is a" last.
     *
     * @param subjectAt each row's subject's last token, where delta is added
     * @param rewrites how many rows are rewrite prompts (the rest is the KL prompt)
     * @param labels per rewrite row and position, the target token its logits predict (row-major, [rewrites, width])
     * @param weights 1 / target length at those positions, 0 elsewhere
     * @param at 1 where delta is added, per row and position ([rows, width])
     */
    private record RewritePrompts(TokenBatch batch, List<Integer> subjectAt, int rewrites, long[] labels, float[] weights,
                                  float[] at) {
    }

    private RewritePrompts rewritePrompts(EditRequest request, List<String> contextTemplates, long[] target) {
        String prefixOfTarget = tokenizer.decode(Arrays.copyOf(target, target.length - 1), false);
        List<String> prompts = new ArrayList<>();
        List<Integer> subjectAt = new ArrayList<>();
        for (String context : contextTemplates) {
            String template = context.replace("{}", request.prompt());
            prompts.add(template.replace("{}", request.subject()) + prefixOfTarget);
            subjectAt.add(SubjectLocator.lastSubjectToken(tokenizer, template, request.subject()));
        }
        int rewrites = prompts.size();
        String klTemplate = "{} is a";
        prompts.add(klTemplate.replace("{}", request.subject()));
        subjectAt.add(SubjectLocator.lastSubjectToken(tokenizer, klTemplate, request.subject()));
        TokenBatch batch = TokenBatch.right(prompts.stream().map(tokenizer::encode).toList(), padId);
        int rows = batch.size();
        int width = batch.length();

        // Where delta is added, and which positions predict which target token.
        float[] at = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            at[r * width + subjectAt.get(r)] = 1f;
        }
        long[] labels = new long[rewrites * width];
        float[] weights = new float[rewrites * width];
        for (int r = 0; r < rewrites; r++) {
            int len = batch.length(r);
            for (int j = 0; j < target.length; j++) {
                int pos = len - target.length + j;    // logits here predict target[j]
                labels[r * width + pos] = target[j];
                weights[r * width + pos] = 1f / target.length;
            }
        }
        return new RewritePrompts(batch, subjectAt, rewrites, labels, weights, at);
    }

    private static boolean allTop1(NDArray rewriteLogProbs, long[] labels, float[] weights) {
        long[] best = rewriteLogProbs.argMax(-1).toLongArray();    // [rewrites * width]
        for (int i = 0; i < labels.length; i++) {
            if (weights[i] > 0 && best[i] != labels[i]) {
                return false;
            }
        }
        return true;
    }

    // torch.optim.Adam defaults (betas 0.9, 0.999; eps 1e-8), as compute_z uses.
    private static void adamStep(float[] x, float[] g, double[] m, double[] v, int t, double lr) {
        double c1 = 1 - Math.pow(0.9, t);
        double c2 = 1 - Math.pow(0.999, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            x[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }

    private static void clamp(float[] x, double maxNorm) {
        double n = 0;
        for (float v : x) {
            n += v * v;
        }
        n = Math.sqrt(n);
        if (n > maxNorm) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (x[i] * maxNorm / n);
            }
        }
    }

    private static void resetGradient(NDArray delta) {
        NDArray g = delta.getGradient();
        g.subi(g);
        g.close();
    }

    public static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
