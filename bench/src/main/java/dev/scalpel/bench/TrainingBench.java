package dev.scalpel.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.Losses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Forward + backward throughput on the GPT-2 small shape, and the engine's float32 matrix-multiply rate. */
final class TrainingBench {
    private TrainingBench() {
    }

    static List<Measurement> run(Path gpt2, int repeats) {
        List<Measurement> out = new ArrayList<>();
        int batch = 4;
        int seq = 256;
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(gpt2, nd)) {
            long[] ids = GenerationBench.randomIds(batch * seq, 50257, 3);
            NDArray input = nd.create(ids).reshape(batch, seq);
            double[] rates = Repeat.runs(1, repeats, () -> {
                model.parameters().requireGradients(true);
                long t0 = System.nanoTime();
                try (NDManager step = nd.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.forward(ForwardRequest.of(input), Hooks.none(), step).logits();
                    NDArray loss = Losses.nextTokenCrossEntropy(logits, input, null);
                    gc.backward(loss);
                    loss.getFloat();
                }
                double rate = (double) batch * seq / ((System.nanoTime() - t0) / 1e9);
                model.parameters().requireGradients(false);
                return rate;
            });
            long params = model.parameters().count();
            out.add(new Measurement("train.forward_backward.gpt2-small", "scalpel", Repeat.median(rates), "tokens/s", rates,
                    Map.of("batch", batch, "seq", seq, "parameters", params,
                            "model_flops_per_token", 6 * params, "dtype", "float32")));
        }
        for (int n : new int[] {1024, 2048}) {
            try (NDManager nd = NDManager.newBaseManager()) {
                NDArray a = nd.randomNormal(new Shape(n, n));
                NDArray b = nd.randomNormal(new Shape(n, n));
                double[] gflops = Repeat.runs(2, repeats, () -> {
                    try (NDManager step = nd.newSubManager()) {
                        NDArray x = a.duplicate();
                        x.attach(step);
                        long t0 = System.nanoTime();
                        NDArray c = x.matMul(b);
                        c.getFloat(0, 0);
                        return 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
                    }
                });
                out.add(new Measurement("gemm.float32." + n, "scalpel (libtorch)", Repeat.median(gflops), "GFLOP/s", gflops,
                        Map.of("m", n, "n", n, "k", n)));
            }
        }
        return out;
    }
}
