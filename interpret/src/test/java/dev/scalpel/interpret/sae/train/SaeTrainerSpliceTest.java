package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.activations.TokenBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Parameters;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.train.AdamW;
import dev.scalpel.core.train.GradientClipping;
import dev.scalpel.core.train.Losses;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SaeArchitecture;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splicing an exact reconstruction in changes nothing; splicing zeros in does. */
class SaeTrainerSpliceTest {
    static final List<String> TEXTS = List.of("The cat sat on the mat and looked at the door.",
            "Paris is the capital of France, and Rome is the capital of Italy.", "One two three four five six",
            "Sparse autoencoders find features in activations.");

    static Path fixture(String name) {
        return Path.of(System.getProperty("scalpel.fixtures")).resolve(name);
    }

    /** d_sae = 2 d_in, W_enc = [I, -I], W_dec = [I; -I], ReLU, no biases: relu(x) - relu(-x) = x exactly. */
    static SparseAutoencoder identity(int d) {
        float[] enc = new float[d * 2 * d];
        float[] dec = new float[2 * d * d];
        for (int i = 0; i < d; i++) {
            enc[i * 2 * d + i] = 1;
            enc[i * 2 * d + d + i] = -1;
            dec[i * d + i] = 1;
            dec[(d + i) * d + i] = -1;
        }
        NDManager m = NDManager.newBaseManager();
        return new SparseAutoencoder(SaeArchitecture.STANDARD, 0, true, SaeMetadata.unknown(), m,
                m.create(enc, new Shape(d, 2 * d)), m.create(dec, new Shape(2 * d, d)), m.zeros(new Shape(2 * d)),
                m.zeros(new Shape(d)), null);
    }

    /**
     * The fixture's weights are random, so its loss is ln(V) whatever reaches the last layer; a few Adam steps on the
     * test texts give it predictions that a zeroed residual stream can destroy.
     */
    static void memorise(TransformerModel model, TokenSource tokens, int steps) {
        List<long[]> ids = TEXTS.stream().map(t -> tokens.tokenize(t, 64).ids()).toList();
        Parameters params = model.parameters();
        params.requireGradients(true);
        try (AdamW adam = new AdamW(params, new AdamW.Config(0.9, 0.999, 1e-8, 0))) {
            for (int step = 0; step < steps; step++) {
                try (NDManager m = params.manager().newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    ForwardRequest request = TokenBatch.right(ids, 0).maskedOnlyWhenPadded().request(m);
                    NDArray logits = model.forward(request, m).logits();
                    collector.backward(Losses.nextTokenCrossEntropy(logits, request.inputIds(), request.attentionMask()));
                }
                adam.step(1e-2);
                GradientClipping.zero(params);
            }
        } finally {
            params.requireGradients(false);
        }
    }

    @Test
    void languageModelLossIsUnchangedByAnExactReconstructionAndHurtByZeros() {
        try (LoadedModel gpt2 = LoadedModel.open(fixture("gpt2-tiny")); SparseAutoencoder sae = identity(16)) {
            HarvestConfig config = HarvestConfig.tokens("blocks.0.hook_resid_post").withBatchSize(3);
            memorise(gpt2.model(), TokenSource.of(gpt2, true), 40);
            SpliceResult r = new SpliceEvaluation(gpt2.model(), TokenSource.of(gpt2, true), config).run(sae, TEXTS);
            System.out.println("gpt2-tiny splice: " + r);
            assertEquals(SpliceResult.Measure.NEXT_TOKEN_LOSS, r.measure());
            assertEquals(0, r.change(), 1e-6, "an exact reconstruction leaves the loss as it is");
            assertTrue(r.clean() < 8, "the model has learned the texts: " + r);
            assertTrue(r.zeroAblated() > r.clean() + 1, "zeros at the hook raise the loss: " + r);
            assertEquals(1, r.recovered(), 1e-3);
            long targets = TEXTS.stream().mapToLong(t -> TokenSource.of(gpt2, true).tokenize(t, 64).length() - 1).sum();
            assertEquals(targets, r.count(), "every next token of every text, BOS predicting the first");
        }
    }

    @Test
    void encoderEmbeddingKeepsItsDirectionUnderAnExactReconstruction() {
        try (LoadedModel bert = LoadedModel.open(fixture("bert-tiny")); SparseAutoencoder sae = identity(64)) {
            HarvestConfig config = HarvestConfig.tokens("blocks.0.hook_normalized_resid_post").withBatchSize(2);
            SpliceResult r = new SpliceEvaluation(bert.model(), TokenSource.of(bert, true), config).run(sae, TEXTS);
            System.out.println("bert-tiny splice: " + r);
            assertEquals(SpliceResult.Measure.EMBEDDING_COSINE, r.measure());
            assertEquals(TEXTS.size(), r.count());
            assertEquals(1, r.spliced(), 1e-6);
            assertTrue(r.zeroAblated() < 0.99, "zeros at the hook turn the embedding: " + r);
        }
    }
}
