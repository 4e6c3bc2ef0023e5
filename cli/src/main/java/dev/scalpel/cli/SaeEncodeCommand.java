package dev.scalpel.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.TensorInfo;
import dev.scalpel.interpret.sae.ReconstructionCheck;
import dev.scalpel.interpret.sae.SaeLoader;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel sae encode --sae DIR --input F.safetensors --out G.safetensors}: features {@code f [n, d_sae]} and
 * reconstructions {@code x_hat [n, d_in]} (float32) of the activations {@code x [n, d_in]} in F. The rows go through
 * in batches, so n is bounded by disk, not by one NDArray. Because a wrong pairing of SAE and activations fails
 * silently, the reconstruction of the first rows is measured and a poor one is reported on stderr with its likely
 * causes.
 */
@Command(name = "encode", description = {
    "Encode activations with a sparse autoencoder: reads x [n, d_in] from a safetensors file and writes f [n, d_sae]",
    "and x_hat [n, d_in] (float32). The SAE is a SAELens folder (cfg.json + sae_weights.safetensors) or a folder",
    "holding a Gemma Scope params.npz (or the .npz itself). The reconstruction of the first rows is measured (FVU,",
    "mean L0); a poor one is reported with its likely causes (wrong hook or layer, BOS positions, scaling)."})
final class SaeEncodeCommand implements Callable<Integer> {
    private static final int BATCH_ROWS = 1024;
    private static final int CHECK_ROWS = 4096;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Spec
    CommandSpec spec;

    @Option(names = "--sae", required = true, paramLabel = "DIR",
            description = "a SAELens folder, a folder holding a Gemma Scope params.npz, or the .npz file")
    Path sae;

    @Option(names = "--input", required = true, paramLabel = "F.safetensors",
            description = "a safetensors file holding the activations as tensor x [n, d_in] (any float dtype)")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "G.safetensors", description = "where to write f and x_hat")
    Path out;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        float[] x;
        long rows;
        long width;
        try (SafetensorsFile in = SafetensorsFile.open(input)) {
            TensorInfo info = activations(in);
            rows = info.dim(0);
            width = info.dim(1);
            x = in.toFloats("x");
        }
        try (SparseAutoencoder s = SaeLoader.load(sae); Arena arena = Arena.ofConfined()) {
            if (width != s.dIn()) {
                throw new ScalpelException(input + ": x has rows of width " + width + " but the SAE at " + sae
                        + " reads d_in " + s.dIn() + describeHook(s) + "; these activations are from another model or"
                        + " hook");
            }
            int dIn = s.dIn();
            int dSae = s.dSae();
            MemorySegment f = arena.allocate(Math.multiplyExact(rows, (long) dSae) * 4, 4);
            MemorySegment xHat = arena.allocate(Math.multiplyExact(rows, (long) dIn) * 4, 4);
            for (long r = 0; r < rows; r += BATCH_ROWS) {
                int n = (int) Math.min(BATCH_ROWS, rows - r);
                try (NDManager batch = s.manager().newSubManager()) {
                    NDArray xb = batch.create(Arrays.copyOfRange(x, (int) (r * dIn), (int) ((r + n) * dIn)),
                            new Shape(n, dIn));
                    NDArray fb = s.encode(xb);
                    MemorySegment.copy(fb.toFloatArray(), 0, f, F32, r * dSae * 4, n * dSae);
                    MemorySegment.copy(s.decode(fb).toFloatArray(), 0, xHat, F32, r * dIn * 4, n * dIn);
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put("sae", sae.toString());
            metadata.put("architecture", s.architecture().saeLensName());
            metadata.put("hook", s.metadata().hookName());
            SafetensorsWriter.write(out, List.of(
                    new SafetensorsWriter.Entry("f", DType.F32, new long[] {rows, dSae}, f),
                    new SafetensorsWriter.Entry("x_hat", DType.F32, new long[] {rows, dIn}, xHat)), metadata);
            console.printf("wrote %s: f [%d, %d] and x_hat [%d, %d] through the %s SAE at %s%s%n", out, rows, dSae, rows,
                    dIn, s.architecture().saeLensName(), sae, describeHook(s));
            report(s, x, rows, console);
            return 0;
        }
    }

    /** The x tensor, checked to be a float matrix; errors name the input file. */
    private TensorInfo activations(SafetensorsFile in) {
        if (!in.contains("x")) {
            throw new ScalpelException(input + ": no tensor 'x' (the file holds " + in.names() + "); give the"
                    + " activations to encode as x [n, d_in]");
        }
        TensorInfo info = in.info("x");
        if (info.rank() != 2) {
            throw new ScalpelException(input + ": x has shape " + Arrays.toString(info.shape()) + "; it must be"
                    + " [n, d_in], one activation vector per row (flatten batch and sequence dimensions first)");
        }
        if (!info.dtype().isFloatingPoint()) {
            throw new ScalpelException(input + ": x is " + info.dtype() + "; activations must be floating point");
        }
        return info;
    }

    /** Measures the reconstruction of the first rows; a poor one goes to stderr with its likely causes. */
    private void report(SparseAutoencoder s, float[] x, long rows, PrintWriter console) {
        if (rows < 2) {
            return;
        }
        int n = (int) Math.min(CHECK_ROWS, rows);
        try (NDManager scope = s.manager().newSubManager()) {
            NDArray sample = scope.create(Arrays.copyOf(x, n * s.dIn()), new Shape(n, s.dIn()));
            ReconstructionCheck.Verdict verdict = ReconstructionCheck.measure(s, sample).verdict();
            if (verdict.passed()) {
                console.println(verdict.message());
            } else {
                spec.commandLine().getErr().println("warning: " + verdict.message());
            }
        }
    }

    private static String describeHook(SparseAutoencoder s) {
        String hook = s.metadata().hookName();
        return hook.isEmpty() ? "" : " (hook " + hook + ")";
    }
}
