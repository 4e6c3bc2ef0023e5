package dev.scalpel.core.train;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.scalpel.core.model.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with PyTorch's semantics: decoupled weight decay {@code p -= lr * wd * p} applied to
 * matrices only (biases, norm weights and other vectors are not decayed), then the bias-corrected Adam step
 * {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}. Moments live in their own manager and can be saved and restored, so
 * an interrupted run resumes exactly.
 */
public final class AdamW implements AutoCloseable {
    /** Hyperparameters; the defaults are PyTorch's except weight decay (0.1, the usual choice for transformers). */
    public record Config(double beta1, double beta2, double eps, double weightDecay) {
        public static Config defaults() {
            return new Config(0.9, 0.95, 1e-8, 0.1);
        }
    }

    private final Parameters params;
    private final Config config;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private long steps;

    /** Optimizes every floating-point parameter. */
    public AdamW(Parameters params, Config config) {
        this(params, config, params.asMap().entrySet().stream().filter(e -> e.getValue().getDataType().isFloating())
                .map(Map.Entry::getKey).toList());
    }

    /** Optimizes only the parameters named (fine-tuning one matrix, as knowledge editing's FT does); the rest stay. */
    public AdamW(Parameters params, Config config, java.util.Collection<String> names) {
        this.params = params;
        this.config = config;
        this.manager = params.manager().newSubManager();
        for (String name : names) {
            NDArray p = params.get(name);
            firstMoment.put(name, manager.zeros(p.getShape()));
            secondMoment.put(name, manager.zeros(p.getShape()));
        }
    }

    /** Number of updates applied so far (the t of the bias corrections). */
    public long steps() {
        return steps;
    }

    /** Applies one update with learning rate {@code lr} from the gradients the parameters hold. */
    public void step(double lr) {
        steps++;
        double correction1 = 1 - Math.pow(config.beta1(), steps);
        double correction2 = 1 - Math.pow(config.beta2(), steps);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (String name : firstMoment.keySet()) {
                NDArray p = params.get(name);
                NDArray g = p.getGradient();
                NDArray m = firstMoment.get(name);
                NDArray v = secondMoment.get(name);
                if (config.weightDecay() > 0 && p.getShape().dimension() >= 2) {
                    Scalars.muli(p, 1 - lr * config.weightDecay());
                }
                Scalars.muli(m, config.beta1()).addi(Scalars.mul(g, 1 - config.beta1()));
                Scalars.muli(v, config.beta2()).addi(Scalars.muli(g.square(), 1 - config.beta2()));
                NDArray denom = Scalars.div(v, correction2).sqrt().addi(config.eps());
                p.subi(Scalars.muli(m.div(denom), lr / correction1));
            }
        }
    }

    /** The moments by parameter name, "m." and "v." prefixed, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        firstMoment.forEach((k, v) -> s.put("m." + k, v));
        secondMoment.forEach((k, v) -> s.put("v." + k, v));
        return s;
    }

    /** Restores moments and the step count saved by {@link #state()}. */
    public void restore(Map<String, float[]> state, long stepCount) {
        for (Map.Entry<String, NDArray> e : firstMoment.entrySet()) {
            e.getValue().set(require(state, "m." + e.getKey()));
        }
        for (Map.Entry<String, NDArray> e : secondMoment.entrySet()) {
            e.getValue().set(require(state, "v." + e.getKey()));
        }
        this.steps = stepCount;
    }

    private static float[] require(Map<String, float[]> state, String key) {
        float[] v = state.get(key);
        if (v == null) {
            throw new dev.scalpel.core.ScalpelException("optimizer state lacks '" + key + "'; the checkpoint is from another model");
        }
        return v;
    }

    @Override
    public void close() {
        manager.close();
    }
}
