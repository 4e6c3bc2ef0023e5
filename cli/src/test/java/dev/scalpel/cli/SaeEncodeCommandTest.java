package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scalpel.core.Runtime;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.io.npy.NpyArray;
import dev.scalpel.core.io.npy.NpyWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sae encode} in-process on SAEs written here (a Gemma Scope params.npz and a SAELens 6 TopK folder), its output
 * checked against the SAE formulas evaluated in plain double-precision loops. Inputs are drawn so that no
 * pre-activation sits within 1e-3 of a decision boundary, where float32 rounding could flip a feature.
 */
class SaeEncodeCommandTest {
    private static final int D_IN = 12;
    private static final int D_SAE = 40;
    private static final int ROWS = 1100;   // more than one batch of 1024, the last one partial
    private static final int K = 5;
    private static final double MARGIN = 1e-3;

    record Result(int code, String out, String err) {}

    /** Runs {@code sae ARGS} with the error handling of {@link Main#execute}. */
    static Result sae(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "sae";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    /** Random SAE weights, as float32 values held in Java arrays. */
    record Weights(float[] wEnc, float[] wDec, float[] bEnc, float[] bDec, float[] threshold) {
        static Weights random(long seed) {
            Random r = new Random(seed);
            return new Weights(gaussian(r, D_IN * D_SAE, 1 / Math.sqrt(D_IN)), gaussian(r, D_SAE * D_IN, 0.25),
                    gaussian(r, D_SAE, 0.1), gaussian(r, D_IN, 0.1), uniform(r, D_SAE, 0.05, 0.6));
        }

        double[] pre(float[] x, boolean subtractBDec) {
            double[] pre = new double[D_SAE];
            for (int i = 0; i < D_SAE; i++) {
                double sum = bEnc[i];
                for (int j = 0; j < D_IN; j++) {
                    sum += (x[j] - (subtractBDec ? bDec[j] : 0.0)) * wEnc[j * D_SAE + i];
                }
                pre[i] = sum;
            }
            return pre;
        }

        double[] decode(double[] f) {
            double[] out = new double[D_IN];
            for (int j = 0; j < D_IN; j++) {
                double sum = bDec[j];
                for (int i = 0; i < D_SAE; i++) {
                    sum += f[i] * wDec[i * D_IN + j];
                }
                out[j] = sum;
            }
            return out;
        }
    }

    /** JumpReLU (Gemma Scope: no b_dec subtraction): f = pre * 1[pre > threshold], ReLU first; null near a boundary. */
    static double[] jumpRelu(Weights w, float[] x) {
        double[] pre = w.pre(x, false);
        double[] f = new double[D_SAE];
        for (int i = 0; i < D_SAE; i++) {
            if (Math.abs(pre[i]) < MARGIN || Math.abs(pre[i] - w.threshold[i]) < MARGIN) {
                return null;
            }
            f[i] = pre[i] > 0 && pre[i] > w.threshold[i] ? pre[i] : 0;
        }
        return f;
    }

    /** TopK with b_dec subtracted: ReLU of the k largest pre-activations; null when the k-th is not clear. */
    static double[] topK(Weights w, float[] x) {
        double[] pre = w.pre(x, true);
        double[] sorted = pre.clone();
        Arrays.sort(sorted);
        double kth = sorted[D_SAE - K];
        if (kth - sorted[D_SAE - K - 1] < MARGIN || Math.abs(kth) < MARGIN) {
            return null;
        }
        double[] f = new double[D_SAE];
        for (int i = 0; i < D_SAE; i++) {
            f[i] = pre[i] >= kth ? Math.max(pre[i], 0) : 0;
        }
        return f;
    }

    interface Encoder {
        double[] encode(Weights w, float[] x);
    }

    /** Inputs x (redrawn near boundaries) and the expected f and x_hat, flattened. */
    record Case(float[] x, float[] f, float[] xHat) {
        static Case of(Weights w, Encoder encoder, long seed) {
            Random r = new Random(seed);
            float[] x = new float[ROWS * D_IN];
            float[] f = new float[ROWS * D_SAE];
            float[] xHat = new float[ROWS * D_IN];
            for (int row = 0; row < ROWS; row++) {
                float[] xr;
                double[] fr;
                do {
                    xr = gaussian(r, D_IN, 1.0);
                    fr = encoder.encode(w, xr);
                } while (fr == null);
                double[] hr = w.decode(fr);
                System.arraycopy(xr, 0, x, row * D_IN, D_IN);
                for (int i = 0; i < D_SAE; i++) {
                    f[row * D_SAE + i] = (float) fr[i];
                }
                for (int j = 0; j < D_IN; j++) {
                    xHat[row * D_IN + j] = (float) hr[j];
                }
            }
            return new Case(x, f, xHat);
        }
    }

    private static float[] gaussian(Random r, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * r.nextGaussian());
        }
        return v;
    }

    private static float[] uniform(Random r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    private static Path input(Path dir, Case c) {
        Path f = dir.resolve("acts.safetensors");
        SafetensorsWriter.write(f, List.of(SafetensorsWriter.f32("x", new long[] {ROWS, D_IN}, c.x())), null);
        return f;
    }

    private static void assertOutput(Path out, Case c) {
        try (SafetensorsFile g = SafetensorsFile.open(out)) {
            assertEquals(List.of("f", "x_hat"), g.names());
            assertArrayEquals(new long[] {ROWS, D_SAE}, g.info("f").shape());
            assertArrayEquals(new long[] {ROWS, D_IN}, g.info("x_hat").shape());
            assertClose(c.f(), g.toFloats("f"), "f");
            assertClose(c.xHat(), g.toFloats("x_hat"), "x_hat");
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.abs(expected[i])))) {
                fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void encodesWithAGemmaScopeSae(@TempDir Path dir) throws IOException {
        Weights w = Weights.random(11);
        Path folder = dir.resolve("gemma-scope-2b-pt-res/layer_3/width_40/average_l0_9");
        Files.createDirectories(folder);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W_enc", NpyArray.ofFloats(new long[] {D_IN, D_SAE}, w.wEnc()));
        arrays.put("W_dec", NpyArray.ofFloats(new long[] {D_SAE, D_IN}, w.wDec()));
        arrays.put("b_enc", NpyArray.ofFloats(new long[] {D_SAE}, w.bEnc()));
        arrays.put("b_dec", NpyArray.ofFloats(new long[] {D_IN}, w.bDec()));
        arrays.put("threshold", NpyArray.ofFloats(new long[] {D_SAE}, w.threshold()));
        NpyWriter.writeNpz(folder.resolve("params.npz"), arrays, false);
        Case c = Case.of(w, SaeEncodeCommandTest::jumpRelu, 12);
        Path out = dir.resolve("features.safetensors");

        Result r = sae("encode", "--sae", folder.toString(), "--input", input(dir, c).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("f [1100, 40] and x_hat [1100, 12] through the jumprelu SAE"), r.out());
        assertTrue(r.out().contains("(hook blocks.3.hook_resid_post)"), r.out());
        // A random SAE does not reconstruct random inputs, and the command says so.
        assertTrue(r.err().startsWith("warning: poor reconstruction: FVU"), r.err());
        assertOutput(out, c);
    }

    @Test
    void encodesWithASaeLensTopKFolder(@TempDir Path dir) throws IOException {
        Weights w = Weights.random(21);
        Path folder = dir.resolve("topk");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("cfg.json"), """
                {"d_in": 12, "d_sae": 40, "dtype": "float32", "device": "cpu", "apply_b_dec_to_input": true,
                 "normalize_activations": "none", "reshape_activations": "none", "architecture": "topk", "k": 5,
                 "rescale_acts_by_decoder_norm": false,
                 "metadata": {"sae_lens_version": "6.5.1", "model_name": "toy", "hook_name": "blocks.0.hook_mlp_out"}}
                """);
        SafetensorsWriter.write(folder.resolve("sae_weights.safetensors"), List.of(
                SafetensorsWriter.f32("W_enc", new long[] {D_IN, D_SAE}, w.wEnc()),
                SafetensorsWriter.f32("W_dec", new long[] {D_SAE, D_IN}, w.wDec()),
                SafetensorsWriter.f32("b_enc", new long[] {D_SAE}, w.bEnc()),
                SafetensorsWriter.f32("b_dec", new long[] {D_IN}, w.bDec())), null);
        Case c = Case.of(w, SaeEncodeCommandTest::topK, 22);
        Path out = dir.resolve("features.safetensors");

        Result r = sae("encode", "--sae", folder.toString(), "--input", input(dir, c).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("through the topk SAE"), r.out());
        assertOutput(out, c);
    }

    @Test
    void refusesInputWithoutX(@TempDir Path dir) {
        Path in = dir.resolve("in.safetensors");
        SafetensorsWriter.write(in, List.of(SafetensorsWriter.f32("acts", new long[] {2, D_IN}, new float[2 * D_IN])), null);
        Result r = sae("encode", "--sae", dir.toString(), "--input", in.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertEquals("error: " + in + ": no tensor 'x' (the file holds [acts]); give the activations to encode as"
                + " x [n, d_in]", r.err().strip());
    }

    @Test
    void refusesActivationsOfAnotherWidth(@TempDir Path dir) throws IOException {
        Weights w = Weights.random(31);
        Path folder = dir.resolve("layer_7/width_40/average_l0_3");
        Files.createDirectories(folder);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W_enc", NpyArray.ofFloats(new long[] {D_IN, D_SAE}, w.wEnc()));
        arrays.put("W_dec", NpyArray.ofFloats(new long[] {D_SAE, D_IN}, w.wDec()));
        arrays.put("b_enc", NpyArray.ofFloats(new long[] {D_SAE}, w.bEnc()));
        arrays.put("b_dec", NpyArray.ofFloats(new long[] {D_IN}, w.bDec()));
        arrays.put("threshold", NpyArray.ofFloats(new long[] {D_SAE}, w.threshold()));
        Path npz = folder.resolve("params.npz");
        NpyWriter.writeNpz(npz, arrays, true);
        Path in = dir.resolve("in.safetensors");
        SafetensorsWriter.write(in, List.of(SafetensorsWriter.f32("x", new long[] {3, 8}, new float[24])), null);
        Result r = sae("encode", "--sae", npz.toString(), "--input", in.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(in + ": x has rows of width 8 but the SAE at " + npz + " reads d_in 12 (hook"
                + " blocks.7.hook_resid_post)"), r.err());
    }

    @Test
    void reportsAnSaeThatDoesNotLoad(@TempDir Path dir) {
        Path in = dir.resolve("in.safetensors");
        SafetensorsWriter.write(in, List.of(SafetensorsWriter.f32("x", new long[] {2, D_IN}, new float[2 * D_IN])), null);
        Result r = sae("encode", "--sae", dir.toString(), "--input", in.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + dir + ": not an SAE folder"), r.err());
    }
}
