package dev.scalpel.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import dev.scalpel.core.train.Gradients;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hook points read, replace and differentiate activations. */
class HookTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "gemma2-tiny", "bert-tiny"})
    void identityReplacementAtEveryHookChangesNothing(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            NDArray plain = model.forward(ForwardRequest.of(ids), m).logits();
            Hooks.Builder b = Hooks.builder(m);
            int[] calls = {0};
            for (String name : model.hookPoints()) {
                b.add(name, (activation, n) -> {
                    calls[0]++;
                    return activation;
                });
            }
            NDArray hooked = model.forward(ForwardRequest.of(ids), b.build(), m).logits();
            assertEquals(model.hookPoints().size(), calls[0], "every hook point is visited once");
            // Structural: same inputs, same shapes, same ops in the same order (an identity hook adds none), so
            // libtorch takes the same kernels on any processor and bit equality holds.
            assertTrue(plain.contentEquals(hooked), "identity hooks leave the logits bit-identical");
        }
    }

    @Test
    void replacingAnActivationChangesTheOutputDownstreamOnly() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            NDArray ids = Fixtures.golden(m, "llama-tiny", "input_ids");
            Hooks hooks = Hooks.builder(m)
                    .add("blocks.1.hook_resid_pre", (a, n) -> a.zerosLike())
                    .cache("blocks.0.hook_resid_post", "blocks.1.hook_resid_pre")
                    .build();
            model.forward(ForwardRequest.of(ids), hooks, m);
            assertTrue(hooks.cache().get("blocks.1.hook_resid_pre").abs().max().getFloat() == 0f,
                    "the cache holds the replaced value");
            assertTrue(hooks.cache().get("blocks.0.hook_resid_post").abs().max().getFloat() > 0f,
                    "activations before the replacement are untouched");
        }
    }

    @Test
    void cachedShapesFollowTransformerLensConventions() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("llama-tiny"), m)) {
            NDArray ids = Fixtures.golden(m, "llama-tiny", "input_ids");  // [2, 24]
            Hooks hooks = Hooks.caching(m, model.hookPoints());
            model.forward(ForwardRequest.of(ids), hooks, m);
            ActivationCache c = hooks.cache();
            assertEquals(new Shape(2, 24, 4, 16), c.get("blocks.0.attn.hook_q").getShape());
            assertEquals(new Shape(2, 24, 2, 16), c.get("blocks.0.attn.hook_k").getShape());
            assertEquals(new Shape(2, 4, 24, 24), c.get("blocks.0.attn.hook_pattern").getShape());
            assertEquals(new Shape(2, 24, 4, 16), c.get("blocks.0.attn.hook_z").getShape());
            assertEquals(new Shape(2, 24, 128), c.get("blocks.1.mlp.hook_post").getShape());
            NDArray rowSums = c.get("blocks.1.attn.hook_pattern").sum(new int[] {-1});
            assertTrue(rowSums.sub(1).abs().max().getFloat() < 1e-5, "attention rows sum to one");
            NDArray pattern = c.get("blocks.0.attn.hook_pattern");
            assertEquals(0f, pattern.get("0, 0, 0, 1:").abs().max().getFloat(), "no attention to the future");
            assertEquals(model.hookPoints().size(), c.names().size());
        }
    }

    @Test
    void unknownHookNameIsRejectedWithTheModelsNames() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model("gpt2-tiny"), m)) {
            Hooks hooks = Hooks.caching(m, java.util.List.of("blocks.0.hook_resid_prex"));
            ScalpelException e = assertThrows(ScalpelException.class,
                    () -> model.forward(ForwardRequest.of(m.create(new long[] {1, 2}).reshape(1, 2)), hooks, m));
            assertTrue(e.getMessage().contains("blocks.0.hook_resid_prex"), e.getMessage());
            assertFalse(model.hookPoints().isEmpty());
        }
    }

    /** The gradient of the loss with respect to a vector added at a hook matches central finite differences. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "gemma2-tiny"})
    void gradientThroughAnAddedVectorMatchesFiniteDifferences(String fixture) {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            int d = model.config().hiddenSize();
            String point = "blocks.0.hook_resid_mid";
            Random random = new Random(7);
            float[] base = new float[d];
            for (int i = 0; i < d; i++) {
                base[i] = (float) (random.nextGaussian() * 0.1);
            }
            NDArray delta = m.create(base);
            delta.setRequiresGradient(true);
            Gradients.Result r = Gradients.ofNextTokenLoss(model, ForwardRequest.of(ids),
                    Hooks.builder(m).add(point, HookFunction.add(delta)).build(), m);
            float[] grad = delta.getGradient().toFloatArray();
            double norm = 0;
            for (float g : grad) {
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            assertTrue(norm > 1e-6, "the loss depends on the added vector");
            // Directional derivatives along a few random unit directions, in double-checked float32.
            for (int trial = 0; trial < 3; trial++) {
                float[] u = new float[d];
                double un = 0;
                for (int i = 0; i < d; i++) {
                    u[i] = (float) random.nextGaussian();
                    un += u[i] * u[i];
                }
                double analytic = 0;
                for (int i = 0; i < d; i++) {
                    u[i] /= (float) Math.sqrt(un);
                    analytic += grad[i] * u[i];
                }
                double h = 1e-2;
                double numeric = (lossWith(model, ids, point, base, u, h, m) - lossWith(model, ids, point, base, u, -h, m)) / (2 * h);
                assertEquals(analytic, numeric, 2e-2 * norm + 1e-4,
                        fixture + " trial " + trial + ": analytic " + analytic + " vs finite difference " + numeric);
            }
        }
    }

    private static double lossWith(TransformerModel model, NDArray ids, String point, float[] base, float[] u, double h,
                                   NDManager m) {
        float[] shifted = new float[base.length];
        for (int i = 0; i < base.length; i++) {
            shifted[i] = (float) (base[i] + h * u[i]);
        }
        try (NDManager local = m.newSubManager()) {
            NDArray delta = local.create(shifted);
            ForwardResult out = model.forward(ForwardRequest.of(ids), Hooks.builder(local).add(point, HookFunction.add(delta)).build(), local);
            return dev.scalpel.core.train.Losses.nextTokenCrossEntropy(out.logits(), ids, null).getFloat();
        }
    }
}
