package dev.scalpel.bench;

import dev.scalpel.core.model.HookNames;
import dev.scalpel.core.activations.ActivationStream;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.interpret.harvest.ActivationHarvester;
import dev.scalpel.interpret.harvest.ActivationShards;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.mosaic.PooledFeatures;
import dev.scalpel.interpret.probe.HookActivations;
import dev.scalpel.interpret.probe.SaeFeatures;
import dev.scalpel.interpret.probe.TextTokenizer;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.interpret.sae.SaeMetadata;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import dev.scalpel.interpret.sae.train.SaeTrainer;
import dev.scalpel.interpret.sae.train.SaeTrainingConfig;
import dev.scalpel.interpret.sae.train.SaeTrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAE work on all-MiniLM-L6-v2's block 3 output (width 384), on texts of about 128 word pieces:
 * <ul>
 *   <li>harvesting tokens/s, side by side with the same forward passes that keep nothing (the cost of the hook, the
 *   copy and the shard writes);</li>
 *   <li>SAE training steps/s and rows/s, TopK (k 32) and standard, 3,072 latents, 1,024 rows a step;</li>
 *   <li>feature extraction texts/s: pooled SAE features from harvested shards, side by side with the model + SAE path
 *   that runs the encoder again ({@code scalpel probe --sae}).</li>
 * </ul>
 */
final class SaeBench {
    private static final String HOOK = HookNames.block(3, HookNames.NORMALIZED_RESID_POST);

    private SaeBench() {
    }

    static List<Measurement> run(int repeats) {
        List<Measurement> out = new ArrayList<>();
        List<String> texts = EmbeddingBench.texts(96, 11);
        try (LoadedModel m = LoadedModel.open(dev.scalpel.core.embed.MiniLm.exportedFolder());
             NDManager nd = NDManager.newBaseManager()) {
            TokenSource tokens = TokenSource.of(m, true);
            HarvestConfig config = HarvestConfig.tokens(HOOK).withContextSize(128).withBatchSize(16);
            double[] harvest = new double[repeats];
            double[] plain = new double[repeats];
            Path folder = null;
            long rows = 0;
            for (int r = 0; r < repeats; r++) {
                folder = Files.createTempDirectory("scalpel-sae-bench");
                long t0 = System.nanoTime();
                rows = new ActivationHarvester(m.model(), tokens, "minilm", config).run(texts, folder, (a, b, c, d) -> { })
                        .rows();
                harvest[r] = rows / ((System.nanoTime() - t0) / 1e9);
                plain[r] = plainForward(m, tokens, texts, config) / 1.0;
            }
            Map<String, Object> setup = Map.of("model", "all-MiniLM-L6-v2", "hook", HOOK, "texts", texts.size(),
                    "context", 128, "batch", 16);
            out.add(new Measurement("sae.harvest.minilm", "scalpel harvest", Repeat.median(harvest), "tokens/s", harvest,
                    setup));
            out.add(new Measurement("sae.harvest.minilm", "forward only (baseline)", Repeat.median(plain), "tokens/s",
                    plain, setup));

            try (ActivationShards shards = ActivationShards.open(folder)) {
                for (SaeTrainingConfig c : List.of(SaeTrainingConfig.topK(3072, 32), SaeTrainingConfig.standard(3072, 3))) {
                    SaeTrainingConfig run = c.withSteps(30).withBatchSize(1024).withLearningRate(1e-3).withLogEvery(1000);
                    double[] steps = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        SaeTrainingResult result = new SaeTrainer(run, x -> { }).train(shards, SaeMetadata.unknown());
                        steps[r] = result.stepsPerSecond();
                        result.sae().close();
                    }
                    Map<String, Object> s = Map.of("d_in", 384, "d_sae", 3072, "batch_rows", 1024, "steps", 30,
                            "architecture", c.architecture().saeLensName());
                    out.add(new Measurement("sae.train." + c.architecture().saeLensName(), "scalpel",
                            Repeat.median(steps), "steps/s", steps, s));
                    double[] rowsPerSecond = java.util.Arrays.stream(steps).map(x -> x * 1024).toArray();
                    out.add(new Measurement("sae.train." + c.architecture().saeLensName(), "scalpel",
                            Repeat.median(rowsPerSecond), "tokens/s", rowsPerSecond, s));
                }
                try (SparseAutoencoder sae = new SaeTrainer(SaeTrainingConfig.topK(3072, 32).withSteps(5).withBatchSize(1024),
                        x -> { }).train(shards, SaeMetadata.unknown()).sae()) {
                    double[] pooled = new double[repeats];
                    double[] full = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        PooledFeatures p = PooledFeatures.ofSae(shards, texts.size(), sae, 20);
                        p.matrix(TokenPooling.SUM, null);
                        pooled[r] = texts.size() / ((System.nanoTime() - t0) / 1e9);
                        t0 = System.nanoTime();
                        HookActivations acts = new HookActivations(m.model(), TextTokenizer.of(m.requireTokenizer(),
                                128), new HookActivations.Config(HOOK, 16, true));
                        SaeFeatures f = new SaeFeatures(sae, TokenPooling.SUM, null, texts.size());
                        acts.run(texts, ActivationStream.Progress.NONE, f);
                        f.matrix();
                        full[r] = texts.size() / ((System.nanoTime() - t0) / 1e9);
                    }
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("d_sae", 3072);
                    s.put("texts", texts.size());
                    s.put("pooling", "sum (+ all five poolings accumulated for the shard path)");
                    out.add(new Measurement("sae.features.minilm", "from harvested shards", Repeat.median(pooled),
                            "texts/s", pooled, s));
                    out.add(new Measurement("sae.features.minilm", "model + SAE (probe --sae)", Repeat.median(full),
                            "texts/s", full, s));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Tokens/s of the same batches through the model with nothing cached or written. */
    private static double plainForward(LoadedModel m, TokenSource tokens, List<String> texts, HarvestConfig config) {
        long t0 = System.nanoTime();
        long count = 0;
        for (int first = 0; first < texts.size(); first += config.batchSize()) {
            List<long[]> batch = new ArrayList<>();
            int longest = 0;
            for (String t : texts.subList(first, Math.min(texts.size(), first + config.batchSize()))) {
                long[] ids = tokens.tokenize(t, config.contextSize()).ids();
                batch.add(ids);
                longest = Math.max(longest, ids.length);
            }
            long[] flat = new long[batch.size() * longest];
            long[] mask = new long[flat.length];
            for (int b = 0; b < batch.size(); b++) {
                long[] ids = batch.get(b);
                System.arraycopy(ids, 0, flat, b * longest, ids.length);
                java.util.Arrays.fill(mask, b * longest, b * longest + ids.length, 1);
                count += ids.length - 1;   // as the harvest: BOS left out
            }
            try (NDManager nd = NDManager.newBaseManager()) {
                Shape shape = new Shape(batch.size(), longest);
                m.model().forward(ForwardRequest.of(nd.create(flat, shape)).withAttentionMask(nd.create(mask, shape)),
                        Hooks.none(), nd).close();
            }
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }
}
