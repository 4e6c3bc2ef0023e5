package dev.scalpel.interpret.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SaeArchitecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer on llama-tiny: to itself, to a perturbed copy, resumed, and refused for another tokenizer. */
class MosaicTransferTest {
    @TempDir
    Path dir;

    private static final Path FIXTURES = Path.of(System.getProperty("scalpel.fixtures"));

    static TransferConfig config() {
        MosaicConfig grid = new MosaicConfig("blocks.%d.hook_resid_post", List.of(1), List.of(SaeArchitecture.TOPK),
                List.of(32), 4, 1.0, 15, 128, 3e-3, 5_000, 16, 1.0f, 4, 4, 0, 42);
        return new TransferConfig(grid, 1, SaeArchitecture.TOPK, 32, 1e-3, 200, 0.03);
    }

    @Test
    void aModelReadAsItselfTransfersExactlyAndAPerturbedCopyIsReadWithLoss() throws IOException {
        List<String> log = new ArrayList<>();
        Path work = dir.resolve("work");
        TransferResults results;
        try (LoadedModel llama = LoadedModel.open(FIXTURES.resolve("llama-tiny"));
             LoadedModel perturbed = LoadedModel.open(FIXTURES.resolve("llama-tiny"))) {
            // Every weight of the copy moves by 20% of its own spread: another model in the same residual space.
            java.util.Random random = new java.util.Random(3);
            for (String name : perturbed.model().parameters().names()) {
                NDArray w = perturbed.model().parameters().get(name);
                if (w.getShape().dimension() == 2) {
                    float[] values = w.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    double mean = 0;
                    double square = 0;
                    for (float v : values) {
                        mean += v / values.length;
                        square += (double) v * v / values.length;
                    }
                    double spread = Math.sqrt(square - mean * mean);
                    for (int i = 0; i < values.length; i++) {
                        values[i] += (float) (0.2 * spread * random.nextGaussian());
                    }
                    perturbed.model().parameters().replace(name, w.getManager().create(values, w.getShape())
                            .toType(w.getDataType(), false));
                }
            }
            TokenSource tokens = TokenSource.of(llama, true);
            List<MosaicTransfer.Target> targets = List.of(
                    new MosaicTransfer.Target("llama-tiny-again", llama.model(), tokens, "the source itself"),
                    new MosaicTransfer.Target("llama-tiny-perturbed", perturbed.model(), TokenSource.of(perturbed, true),
                            "the source with noise on every matrix"));
            MosaicTransfer transfer = new MosaicTransfer(config(), MosaicReproductionTest.logInto(log));
            results = transfer.run(llama.model(), tokens, "llama-tiny", targets, MosaicReproductionTest.data(), work);

            assertEquals(4, results.blocks().size(), "two targets, each read as it is and through a map");
            TransferResults.Block self = results.blocks().get(0);
            assertEquals("shared", self.reading());
            assertEquals(0, self.mapTestFvu(), 0, "the source read as itself");
            for (TransferResults.Row row : self.rows()) {
                // The same features, folds and recipe: the transferred, own and source probes are one probe.
                assertEquals(row.sourceMacroF1(), row.transferMacroF1(), 0, row.toString());
                assertEquals(row.nativeMacroF1(), row.transferMacroF1(), 0, row.toString());
                assertEquals(0, row.transferMinusNative().low(), 0);
                assertEquals(0, row.transferMinusNative().high(), 0);
                assertTrue(row.transferMacroF1() > results.majorityMacroF1() || row.kind().contains("binarized"),
                        "a probe of the source's own features beats the majority class: " + row);
            }
            TransferResults.Block selfMapped = results.blocks().get(1);
            assertEquals("learned map", selfMapped.reading());
            // Only the ridge penalty (1e-3 of the mean variance) keeps the map from the identity.
            assertTrue(selfMapped.mapTestFvu() < 1e-4, "a model maps onto itself: " + selfMapped.mapTestFvu());
            TransferResults.Block noisy = results.blocks().get(2);
            assertEquals("shared", noisy.reading());
            assertTrue(noisy.mapTestFvu() > 0.01, "the noise moves the activations: " + noisy.mapTestFvu());
            TransferResults.Block noisyMapped = results.blocks().get(3);
            assertTrue(noisyMapped.mapTestFvu() < noisy.mapTestFvu(),
                    "a fitted map reads the copy better than none: " + noisyMapped.mapTestFvu());
            assertTrue(TransferClaims.markdown(results).contains("## llama-tiny-perturbed, learned map"));

            log.clear();
            TransferResults again = transfer.run(llama.model(), tokens, "llama-tiny", targets,
                    MosaicReproductionTest.data(), work);
            assertEquals(results.blocks(), again.blocks(), "every block is read back from blocks.jsonl");
            assertTrue(log.stream().noneMatch(l -> l.startsWith("training SAE") || l.contains("probing the source")),
                    "the second run trains and probes nothing: " + log);
            assertEquals(4, log.stream().filter(l -> l.startsWith("reusing llama-tiny-")).count(), log.toString());

            try (LoadedModel gpt2 = LoadedModel.open(FIXTURES.resolve("gpt2-tiny"))) {
                ScalpelException e = assertThrows(ScalpelException.class, () -> transfer.run(llama.model(), tokens,
                        "llama-tiny", List.of(new MosaicTransfer.Target("gpt2-tiny", gpt2.model(),
                                TokenSource.of(gpt2, true), "another tokenizer")), MosaicReproductionTest.data(), work));
                assertTrue(e.getMessage().contains("gpt2-tiny tokenizes the texts unlike llama-tiny"), e.getMessage());
            }
        }
    }
}
