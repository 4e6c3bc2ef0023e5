package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.GradientClipping;
import dev.scalpel.interpret.harvest.ActivationRows;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a TopK or standard SAE on activation rows with DJL's autograd and the core's Adam. Each step draws a batch
 * (uniformly, with replacement), runs the SAE, records which latents fired, takes the objective's gradient, and then:
 * TopK removes the decoder gradient's component along each row, steps Adam, and sets the rows back to unit norm;
 * standard clips the gradient norm and steps Adam. Every step's arrays are released when it ends (an NDScope around
 * it), so memory does not grow with the number of steps.
 *
 * <p>Before the first step the trainer draws up to {@value #INIT_SAMPLE_ROWS} rows to measure the activation scale,
 * TopK's MSE normalizer 1 / Var(x), and TopK's b_pre (the geometric median).
 */
public final class SaeTrainer {
    static final int INIT_SAMPLE_ROWS = 32_768;
    static final int EVAL_ROWS = 4_096;
    private static final long EVAL_SEED_OFFSET = 0x5DEECE66DL;

    private final SaeTrainingConfig config;
    private final SaeTrainingListener listener;

    public SaeTrainer(SaeTrainingConfig config, SaeTrainingListener listener) {
        this.config = config;
        this.listener = listener;
    }

    public SaeTrainingConfig config() {
        return config;
    }

    /** Trains a fresh SAE; {@code metadata} travels with it (model, hook, how the activations were made). */
    public SaeTrainingResult train(ActivationRows rows, SaeMetadata metadata) {
        return run(rows, (init, random) -> SaeInitialization.fresh(config, rows.dimension(),
                config.architecture() == SaeArchitecture.TOPK ? init.geometricMedian() : new float[rows.dimension()],
                metadata, random));
    }

    /**
     * Continues training a copy of {@code start} (which is left as it is). A TopK start's decoder rows are set to unit
     * norm first, as the recipe keeps them.
     */
    public SaeTrainingResult train(ActivationRows rows, SparseAutoencoder start) {
        return run(rows, (init, random) -> {
            SparseAutoencoder copy = SaeInitialization.copyOf(start, config);
            SaeInitialization.foldScale(copy, (float) (1 / init.scale()));
            return copy;
        });
    }

    private interface Start {
        SparseAutoencoder create(InitSample init, SplittableRandom random);
    }

    private SaeTrainingResult run(ActivationRows rows, Start start) {
        Runtime.init();
        if (rows.rowCount() == 0) {
            throw new ScalpelException("no activation rows to train on");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        InitSample init = InitSample.draw(rows, INIT_SAMPLE_ROWS, config.scaleActivations(), random);
        SparseAutoencoder sae = start.create(init, random);
        try {
            if (config.architecture() == SaeArchitecture.TOPK) {
                DecoderNorms.normalizeRows(sae.wDec(), 1f);
            }
            SaeObjective objective = config.architecture() == SaeArchitecture.TOPK
                    ? new TopKObjective(init.mseScale(), config.auxK(), config.auxKCoefficient())
                    : new StandardObjective(config::l1At);
            long t0 = System.nanoTime();
            Loop loop = new Loop(sae, objective, rows, random, (float) init.scale());
            List<SaeMetrics> history = loop.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            SaeInitialization.foldScale(sae, (float) init.scale());
            SaeEvaluation evaluation = evaluate(sae, rows, loop.dead.deadFraction());
            return new SaeTrainingResult(sae, history, evaluation, init.scale(), config.steps(), seconds);
        } catch (RuntimeException e) {
            sae.close();
            throw e;
        }
    }

    /** The optimization loop over one SAE. */
    private final class Loop {
        private final SparseAutoencoder sae;
        private final SaeObjective objective;
        private final ActivationRows rows;
        private final SplittableRandom random;
        private final float scale;
        private final DeadLatents dead;
        private final Parameters params;

        Loop(SparseAutoencoder sae, SaeObjective objective, ActivationRows rows, SplittableRandom random, float scale) {
            this.sae = sae;
            this.objective = objective;
            this.rows = rows;
            this.random = random;
            this.scale = scale;
            this.dead = new DeadLatents(sae.dSae(), config.deadTokenWindow());
            // A view of the SAE's own arrays for the optimizer; never closed (that would close the SAE's manager).
            this.params = new Parameters(sae.manager());
            params.put("W_enc", sae.wEnc(), DType.F32);
            params.put("W_dec", sae.wDec(), DType.F32);
            params.put("b_enc", sae.bEnc(), DType.F32);
            params.put("b_dec", sae.bDec(), DType.F32);
        }

        List<SaeMetrics> run() {
            boolean topK = config.architecture() == SaeArchitecture.TOPK;
            // Adam (no weight decay) with betas (0.9, 0.999); epsilon as each reference implementation sets it.
            AdamW.Config adamConfig = new AdamW.Config(0.9, 0.999, topK ? 6.25e-10 : 1e-8, 0.0);
            List<SaeMetrics> history = new ArrayList<>();
            params.requireGradients(true);
            try (AdamW adam = new AdamW(params, adamConfig)) {
                long windowStart = System.nanoTime();
                long windowSteps = 0;
                for (long step = 0; step < config.steps(); step++) {
                    boolean report = (step + 1) % config.logEvery() == 0 || step == config.steps() - 1;
                    windowSteps++;
                    SaeMetrics metrics = step(step, adam, topK, report);
                    if (report) {
                        long now = System.nanoTime();
                        double speed = windowSteps / Math.max((now - windowStart) / 1e9, 1e-9);
                        windowStart = now;
                        windowSteps = 0;
                        metrics = withSpeed(metrics, speed);
                        history.add(metrics);
                        listener.onMetrics(metrics);
                        if (!Double.isFinite(metrics.loss())) {
                            throw new ScalpelException("SAE training diverged at step " + step + " (loss " + metrics.loss()
                                    + "); lower the learning rate");
                        }
                    }
                }
            } finally {
                params.requireGradients(false);
            }
            return history;
        }

        /** One optimizer step; the batch's metrics when {@code report}, else null. */
        private SaeMetrics step(long step, AdamW adam, boolean topK, boolean report) {
            int n = config.batchSize();
            try (NDScope scope = new NDScope(); NDManager m = sae.manager().newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray x = m.create(rows.sample(n, random), new Shape(n, rows.dimension()));
                if (scale != 1f) {
                    x = Scalars.mul(x, scale);
                }
                NDArray f;
                NDArray xHat;
                SaeObjective.Terms terms;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray pre = sae.preActivations(x);
                    f = sae.activate(pre);
                    xHat = sae.decode(f);
                    dead.update(f.max(new int[] {0}).gt(0f).toBooleanArray(), n);
                    terms = objective.loss(sae, x, pre, f, xHat, dead.deadMask(), step);
                    collector.backward(terms.total());
                }
                if (topK) {
                    DecoderNorms.projectOutParallelGradient(sae.wDec());
                }
                if (config.clipNorm() > 0) {
                    GradientClipping.clip(params, config.clipNorm());
                }
                adam.step(config.learningRate());
                if (topK) {
                    DecoderNorms.normalizeRows(sae.wDec(), 1f);
                }
                GradientClipping.zero(params);
                if (!report) {
                    return null;
                }
                double l1 = config.architecture() == SaeArchitecture.STANDARD ? config.l1At(step) : 0;
                return new SaeMetrics(step + 1, terms.total().getFloat(), terms.reconstruction().getFloat(),
                        terms.sparsity().getFloat(), l0(f), fvu(x, xHat), dead.deadFraction(), l1, 0);
            }
        }
    }

    private static SaeMetrics withSpeed(SaeMetrics m, double speed) {
        return new SaeMetrics(m.step(), m.loss(), m.reconstruction(), m.sparsity(), m.l0(), m.fvu(), m.deadFraction(),
                m.l1Coefficient(), speed);
    }

    /** Mean number of positive latents per row. */
    static double l0(NDArray f) {
        return f.gt(0f).toType(DataType.FLOAT32, false).sum(new int[] {1}).mean().getFloat();
    }

    /** sum |x - x_hat|^2 / sum |x - mean(x)|^2. */
    static double fvu(NDArray x, NDArray xHat) {
        double residual = xHat.sub(x).square().sum().getFloat();
        double total = x.sub(x.mean(new int[] {0}, true)).square().sum().getFloat();
        return residual / total;
    }

    private SaeEvaluation evaluate(SparseAutoencoder sae, ActivationRows rows, double deadFraction) {
        int n = (int) Math.min(EVAL_ROWS, rows.rowCount());
        float[] sample = rows.sample(n, new SplittableRandom(config.seed() + EVAL_SEED_OFFSET));
        try (NDScope scope = new NDScope(); NDManager m = sae.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(sample, new Shape(n, rows.dimension()));
            NDArray f = sae.encode(x);
            return new SaeEvaluation(n, l0(f), fvu(x, sae.decode(f)), deadFraction);
        }
    }
}
