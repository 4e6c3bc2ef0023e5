package dev.scalpel.compress.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.compress.quant.QuantizedMatrix;
import dev.scalpel.compress.quant.Rtn;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.SecondMomentSum;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.linalg.Linalg;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Quantizes every linear module of a model's blocks in place (the model's weights become their dequantized values, so
 * the model runs as the quantized checkpoint would) and returns the codes for packing.
 *
 * <p>Blocks go in order. For block l, one pass of the calibration sequences through the model, whose blocks before l
 * are already quantized, gives each module's input second moment; GPTQ quantizes the block's modules from it (all of a
 * block's modules from the same pass: AutoGPTQ's true-sequential option, which re-reads inputs after each sub-layer, is
 * not followed). RTN needs no inputs; with calibration it reads them anyway, to report each module's output error.
 */
public final class ModelQuantizer {
    /** The quantizer applied to each module. */
    public enum Method {
        RTN, GPTQ;

        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new ScalpelException("unknown quantization method '" + name + "' (rtn, gptq)");
        }
    }

    /** What to quantize and how; {@code gptq} carries the scheme both methods use. */
    public record Config(Method method, Gptq.Config gptq) {
        public QuantizationScheme scheme() {
            return gptq.scheme();
        }
    }

    /**
     * One module's outcome.
     *
     * @param relativeOutputError ||(W - W_hat) X|| / ||W X|| over the calibration inputs (NaN without calibration)
     * @param damping GPTQ's damping (0 for RTN)
     */
    public record ModuleReport(String module, int layer, int inFeatures, int outFeatures, double seconds,
                               double relativeOutputError, double damping, int dampingRetries) {
    }

    /** Every module's codes (by module name, in forward order) and report. */
    public record Result(Config config, Map<String, QuantizedMatrix> modules, List<ModuleReport> reports) {
    }

    private final TransformerModel model;
    private final Config config;
    private final Consumer<String> log;

    public ModelQuantizer(TransformerModel model, Config config, Consumer<String> log) {
        this.model = model;
        this.config = config;
        this.log = log;
    }

    /**
     * Quantizes the model in place.
     *
     * @param calibration token sequences (each at most the model's context); may be empty for RTN
     * @param rowsPerPass sequences per forward pass
     */
    public Result quantize(List<long[]> calibration, int rowsPerPass) {
        if (config.method() == Method.GPTQ && calibration.isEmpty()) {
            throw new ScalpelException("GPTQ needs calibration text: its Hessians are the modules' input statistics");
        }
        int context = model.config().maxPositions();
        for (int i = 0; i < calibration.size(); i++) {
            if (calibration.get(i).length > context) {
                throw new ScalpelException("calibration sequence " + i + " has " + calibration.get(i).length
                        + " tokens; the model's context is " + context);
            }
        }
        Map<Integer, List<LinearModule>> byLayer = new LinkedHashMap<>();
        model.linearModules().forEach(m -> byLayer.computeIfAbsent(m.layer(), k -> new ArrayList<>()).add(m));
        Map<String, QuantizedMatrix> quantized = new LinkedHashMap<>();
        List<ModuleReport> reports = new ArrayList<>();
        for (var entry : byLayer.entrySet()) {
            List<LinearModule> modules = entry.getValue();
            Map<String, Matrix> moments = calibration.isEmpty() ? Map.of() : inputMoments(modules, calibration, rowsPerPass);
            for (LinearModule module : modules) {
                long start = System.nanoTime();
                Matrix w = weight(module);
                Matrix moment = moments.get(module.inputHook());
                QuantizedMatrix q;
                double damping = 0;
                int retries = 0;
                if (config.method() == Method.GPTQ) {
                    var r = Gptq.quantize(w, moment.scale(2), config.gptq());   // H = 2 X^T X / n, as the reference
                    q = r.quantized();
                    damping = r.damping();
                    retries = r.retries();
                } else {
                    q = Rtn.quantize(w, config.scheme());
                }
                Matrix hat = q.dequantize();
                double error = moment == null ? Double.NaN : relativeOutputError(w, hat, moment);
                setWeight(module, hat);
                quantized.put(module.name(), q);
                double seconds = (System.nanoTime() - start) / 1e9;
                reports.add(new ModuleReport(module.name(), module.layer(), module.inFeatures(), module.outFeatures(),
                        seconds, error, damping, retries));
            }
            log.accept(String.format(java.util.Locale.ROOT, "block %d/%d quantized (%s, %s)", entry.getKey() + 1,
                    byLayer.size(), config.method().name().toLowerCase(java.util.Locale.ROOT), config.scheme()));
        }
        return new Result(config, quantized, reports);
    }

    /** The second moment E[x x^T] of each distinct input hook of {@code modules}, from one pass over the calibration. */
    private Map<String, Matrix> inputMoments(List<LinearModule> modules, List<long[]> calibration, int rowsPerPass) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        modules.forEach(m -> dims.put(m.inputHook(), m.inFeatures()));
        List<String> hooks = List.copyOf(new LinkedHashSet<>(dims.keySet()));
        ActivationStream stream = ActivationStream.of(model, hooks).lastPositionOnly();
        try (NDManager m = model.newManager()) {
            Map<String, SecondMomentSum> sums = new LinkedHashMap<>();
            hooks.forEach(h -> sums.put(h, SecondMomentSum.zeros(m, dims.get(h))));
            for (int start = 0; start < calibration.size(); start += rowsPerPass) {
                List<long[]> rows = calibration.subList(start, Math.min(calibration.size(), start + rowsPerPass));
                TokenBatch batch = TokenBatch.right(rows, 0);
                long real = rows.stream().mapToLong(r -> r.length).sum();
                stream.forward(batch, pass -> {
                    NDArray weights = pass.manager().create(batch.countedMask(null),
                            new Shape((long) batch.size() * batch.length(), 1));
                    hooks.forEach(h -> sums.get(h).add(pass.at(h), weights, real));   // padding rows weigh 0
                    return null;
                });
            }
            Map<String, Matrix> moments = new LinkedHashMap<>();
            sums.forEach((h, s) -> moments.put(h, s.mean()));
            return moments;
        }
    }

    /** ||(W - W_hat) X|| / ||W X|| from the inputs' second moment C: sqrt(tr(D C D^T) / tr(W C W^T)). */
    static double relativeOutputError(Matrix w, Matrix hat, Matrix moment) {
        Matrix d = w.minus(hat);
        return Math.sqrt(quadratic(d, moment) / quadratic(w, moment));
    }

    private static double quadratic(Matrix a, Matrix c) {
        Matrix ac = Linalg.multiply(a, c);
        double trace = 0;
        for (int i = 0; i < ac.data().length; i++) {
            trace += ac.data()[i] * a.data()[i];
        }
        return trace;
    }

    /** The module's weight as [out, in]. */
    private Matrix weight(LinearModule module) {
        Matrix stored = Matrix.from(model.parameters().get(module.weight()));
        return module.storedInByOut() ? stored.transpose() : stored;
    }

    private void setWeight(LinearModule module, Matrix outByIn) {
        Parameters params = model.parameters();
        Matrix stored = module.storedInByOut() ? outByIn.transpose() : outByIn;
        try (NDManager m = model.newManager()) {
            params.replace(module.weight(), stored.toNDArray(m, DataType.FLOAT32));
        }
    }
}
