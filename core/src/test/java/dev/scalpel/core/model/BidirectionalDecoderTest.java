package dev.scalpel.core.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.MaskedDiffusionSampler;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Llama whose config says {@code "is_causal": false} (LLaDA's backbone for masked diffusion): the same weights and
 * blocks, attending in both directions.
 */
class BidirectionalDecoderTest {
    private static final long[] TOKENS = {5, 17, 33, 8, 99, 41, 7, 250};

    private static ObjectNode llamaTiny(boolean causal) throws IOException {
        ObjectNode c = (ObjectNode) new ObjectMapper().readTree(Fixtures.model("llama-tiny").resolve("config.json").toFile());
        return causal ? c : c.put("is_causal", false);
    }

    private static float[] logits(TransformerModel model, long[] tokens, NDManager m) {
        return model.forward(ForwardRequest.of(m.create(tokens).reshape(1, tokens.length)), m).logits().toFloatArray();
    }

    private static float maxDifference(float[] a, float[] b, int from, int to) {
        float max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void attendsToTheRightWhereTheCausalModelCannot() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             // One block, so that the last position's keys and values are the same under either mask.
             TransformerModel causal = Models.initialize(llamaTiny(true).put("num_hidden_layers", 1), 3, DType.F32, m);
             TransformerModel both = Models.initialize(llamaTiny(false).put("num_hidden_layers", 1), 3, DType.F32, m)) {
            assertTrue(causal.config().causal());
            assertFalse(both.config().causal());
            int vocab = both.config().vocabSize();
            long[] changedLast = TOKENS.clone();
            changedLast[TOKENS.length - 1] = 300;
            float[] causalBefore = logits(causal, TOKENS, m);
            float[] bothBefore = logits(both, TOKENS, m);
            // Changing the last token moves the first position's logits only where attention reaches to the right.
            // Masked keys get exactly zero weight, but MKL may pick other kernels run to run (AMD): a tolerance, not 0.
            assertTrue(maxDifference(causalBefore, logits(causal, changedLast, m), 0, vocab) < 1e-6);
            assertTrue(maxDifference(bothBefore, logits(both, changedLast, m), 0, vocab) > 1e-4);
            // The last position attends to every token under either mask: the same weights give the same logits there.
            int last = (TOKENS.length - 1) * vocab;
            float lastDifference = maxDifference(causalBefore, bothBefore, last, last + vocab);
            assertTrue(lastDifference < 1e-5, "last position differs by " + lastDifference);
            assertTrue(maxDifference(causalBefore, bothBefore, 0, vocab) > 1e-4, "the first position sees more");
        }
    }

    @Test
    void neitherGeneratesNorCachesButSamplesByMaskedDiffusion(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel both = Models.initialize(llamaTiny(false), 3, DType.F32, m)) {
            assertTrue(assertThrows(ScalpelException.class, () -> new Generator(both, null, 0)).getMessage()
                    .contains("not a causal language model"));
            KvCache cache = new KvCache(m, both.config().numLayers(), 8);
            assertTrue(assertThrows(ScalpelException.class, () -> both.forward(
                    ForwardRequest.of(m.create(TOKENS).reshape(1, TOKENS.length)).withCache(cache), m)).getMessage()
                    .contains("is_causal false"));
            cache.close();
            new MaskedDiffusionSampler(both, null, 3, 4);
            ModelWriter.save(both, dir);
            try (TransformerModel reloaded = Models.load(dir, m)) {
                assertFalse(reloaded.config().causal(), "is_causal survives a save");
            }
        }
    }
}
