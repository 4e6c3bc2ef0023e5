package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.testing.Fixtures;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The root cause of the intermittent NaN, pinned: arrays the forward pass makes from Java data (position ids, masks,
 * rotary tables) are read again by the backward pass, after the forward's scope has closed their Java handles. When
 * they borrowed a direct buffer (DJL's {@code create}), a garbage collection in between freed it and the backward
 * read whatever came next. Here a collection runs between forward and backward and the freed memory is overwritten
 * with NaN bit patterns; the gradients must not change. Before OwnedArrays, GPT-2's came out NaN every time.
 */
class FreedInputMemoryTest {

    /** Collects garbage (freeing every unreachable direct buffer) and fills freshly malloc'd memory with 0xFF bytes. */
    static List<ByteBuffer> collectAndScribble() throws InterruptedException {
        for (int r = 0; r < 3; r++) {
            System.gc();
            Thread.sleep(30);   // the Cleaner thread frees the buffers after the collection
        }
        List<ByteBuffer> scribbles = new ArrayList<>();
        for (int size = 8; size <= 1 << 16; size *= 2) {
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);   // a NaN in float32 and -1 in int64
                }
                scribbles.add(b);
            }
        }
        return scribbles;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "gemma2-tiny", "mistral-tiny"})
    void gradientsSurviveACollectionBetweenForwardAndBackward(String fixture) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = Models.load(Fixtures.model(fixture), m)) {
            NDArray ids = Fixtures.golden(m, fixture, "input_ids");
            Gradients.Result undisturbed = Gradients.ofNextTokenLoss(model, ForwardRequest.of(ids), Hooks.none(), m);
            model.parameters().requireGradients(true);
            try (NDManager scratch = m.newSubManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ForwardResult out = model.forward(ForwardRequest.of(ids), Hooks.none(), scratch);
                NDArray loss = Losses.nextTokenCrossEntropy(out.logits(), ids, null);
                List<ByteBuffer> scribbles = collectAndScribble();
                collector.backward(loss);
                assertTrue(scribbles.size() > 0);
                for (var e : model.parameters().asMap().entrySet()) {
                    if (!e.getValue().hasGradient()) {
                        continue;
                    }
                    NDArray expected = undisturbed.gradients().get(e.getKey());
                    float diff = Fixtures.maxAbsDiff(e.getValue().getGradient(), expected);
                    float scale = expected.abs().max().getFloat();
                    // Same shapes, same order: the two backward passes are the same computation, so only a
                    // corrupted input can make them differ; 1e-6 of the scale leaves room for nothing else.
                    assertTrue(diff <= 1e-6f * Math.max(scale, 1e-30f), fixture + " " + e.getKey() + " gradient differs by "
                            + diff + " (scale " + scale + ") after a collection between forward and backward");
                }
            } finally {
                model.parameters().requireGradients(false);
            }
        }
    }
}
