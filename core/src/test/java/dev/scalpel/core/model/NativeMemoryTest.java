package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated forward passes release everything they allocate: no live arrays and no native memory accumulate. */
class NativeMemoryTest {

    @Test
    void thousandForwardsLeaveArraysAndNativeMemoryFlat() throws IOException {
        try (NDManager root = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), root)) {
            // Inputs large enough that leaking any one activation per pass (hidden state: 8 x 128 x 64 floats = 256 kB)
            // stands far above the allocator's noise (tens of MB either way).
            NDArray ids = root.arange(0L, 8L * 128).mod(500L).reshape(8, 128);
            long[] maskValues = new long[8 * 128];
            java.util.Arrays.fill(maskValues, 1);
            java.util.Arrays.fill(maskValues, 0, 40, 0);
            NDArray mask = root.create(maskValues).reshape(8, 128);
            Generator generator = new Generator(model, null, 0);
            Runnable work = () -> {
                try (NDManager call = root.newSubManager()) {
                    model.forward(ForwardRequest.of(ids).withAttentionMask(mask), call);
                    Hooks hooks = Hooks.caching(call, List.of("blocks.0.hook_resid_post", "blocks.1.attn.hook_pattern"));
                    model.forward(ForwardRequest.of(ids), hooks, call);
                }
            };
            for (int i = 0; i < 200; i++) {
                work.run();
            }
            int arraysBefore = root.getManagedArrays().size();
            double[] x = new double[10];
            double[] rss = new double[10];
            for (int i = 0; i < 1000; i++) {
                work.run();
                if (i % 100 == 99) {
                    generator.generate(GenerationRequest.greedy(new long[] {1, 2, 3}, 5));
                    x[i / 100] = i;
                    rss[i / 100] = residentKb();
                }
            }
            assertEquals(arraysBefore, root.getManagedArrays().size(), "live NDArrays after 1,000 forwards");
            double slopeKbPerPass = slope(x, rss);
            System.out.printf("native memory: RSS %.0f kB -> %.0f kB, trend %+.1f kB per pass%n", rss[0], rss[9], slopeKbPerPass);
            assertTrue(slopeKbPerPass < 96, "resident memory grows by " + slopeKbPerPass + " kB per forward pass");
            assertTrue(rss[9] - rss[0] < 96 * 1024, "resident memory grew by " + (rss[9] - rss[0]) + " kB");
        }
    }

    private static double slope(double[] x, double[] y) {
        double mx = java.util.Arrays.stream(x).average().orElseThrow();
        double my = java.util.Arrays.stream(y).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return num / den;
    }

    private static long residentKb() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
