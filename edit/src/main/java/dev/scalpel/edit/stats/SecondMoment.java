package dev.scalpel.edit.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.SecondMomentSum;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import dev.scalpel.core.run.RunKey;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.core.text.Tokenizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * C0, the uncentered second moment of the keys: sum(k k^T) / count over every token of a text corpus, for the input of
 * each edited layer's down projection. Documents are truncated to the model's context, packed into batches by a token
 * budget, and accumulated in float32 on the engine (a {@link SecondMomentSum} per layer).
 *
 * <p>Each collection is a run folder ({@link RunFolder}) under the cache folder, keyed by everything that determines C0:
 * the weights, the tokenizer, the corpus, the token count and the context length documents are cut to (the token budget
 * per pass only changes the batching). It holds one {@code layer-N.safetensors} per finished layer, so that a later
 * collection for other layers of the same model and corpus reuses the finished ones, and, while a collection runs, a
 * checkpoint of the partial sums, so that an interrupted collection resumes.
 */
public final class SecondMoment {
    /** Batches between checkpoints of the partial sums. */
    private static final int CHECKPOINT_EVERY = 50;
    private static final String SUMS_FILE = "sums.safetensors";

    /** What determines C0 besides the weights, tokenizer and corpus: the run's configuration in its key. */
    public record Config(long maxTokens, int contextLength) {
    }

    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final Path cacheFolder;

    public SecondMoment(TransformerModel model, Tokenizer tokenizer, Path cacheFolder) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.cacheFolder = cacheFolder;
    }

    /**
     * C0 for each layer, from cache or computed over at most {@code maxTokens} tokens of {@code corpus}.
     *
     * @param tokenBudget tokens per forward pass
     * @param progress receives the number of tokens accumulated so far
     */
    public Map<Integer, Matrix> compute(List<Integer> layers, Corpus corpus, long maxTokens, int tokenBudget,
                                        int contextLength, LongConsumer progress) {
        RunFolder run = open(corpus, new Config(maxTokens, contextLength));
        Map<Integer, Matrix> out = new LinkedHashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int l : layers) {
            Path f = run.resolve(layerFile(l));
            if (Files.exists(f)) {
                out.put(l, read(f));
            } else if (!missing.contains(l)) {
                missing.add(l);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(accumulate(run, missing, corpus, maxTokens, tokenBudget, contextLength, progress));
        }
        Map<Integer, Matrix> ordered = new LinkedHashMap<>();
        layers.forEach(l -> ordered.put(l, out.get(l)));
        return ordered;
    }

    /** The collection's run folder: {@code c0-HASH} of its key, so that other settings never land on it. */
    private RunFolder open(Corpus corpus, Config config) {
        // The tokenizer's folder names the model for provenance; the fingerprint in the key decides.
        RunInputs inputs = new RunInputs(String.valueOf(tokenizer.file().toAbsolutePath().getParent()),
                WeightFingerprint.of(model), Map.of("corpus", corpus.hash(), "tokenizer", tokenizer.sha256()), 0);
        ObjectNode key = RunFolder.key("second-moment", config, inputs);
        return RunFolder.open(cacheFolder.resolve("c0-" + RunKey.shortHash(key)), key,
                Provenance.of(inputs, Map.of("corpus", corpus.name())));
    }

    private Map<Integer, Matrix> accumulate(RunFolder run, List<Integer> layers, Corpus corpus, long maxTokens,
                                            int tokenBudget, int contextLength, LongConsumer progress) {
        int dff = model.config().intermediateSize();
        try (NDManager m = model.newManager()) {
            Map<Integer, SecondMomentSum> sums = new LinkedHashMap<>();
            long[] position = restore(run, layers, m, sums);   // {tokens, next document}
            long tokens = position[0];
            int nextDocument = Math.toIntExact(position[1]);
            if (sums.isEmpty()) {
                for (int l : layers) {
                    sums.put(l, SecondMomentSum.zeros(m, dff));
                }
            }
            // The keys: each edited down projection's input.
            List<String> hooks = layers.stream().map(l -> model.linearModule(l, LinearModule.Role.MLP_DOWN).inputHook()).toList();
            ActivationStream stream = ActivationStream.of(model, hooks).lastPositionOnly();   // keys, not logits
            int batches = 0;
            while (tokens < maxTokens && nextDocument < corpus.texts().size()) {
                List<long[]> rows = new ArrayList<>();
                int budget = 0;
                while (nextDocument < corpus.texts().size() && budget < tokenBudget && tokens + budget < maxTokens) {
                    long[] ids = tokenizer.encode(corpus.texts().get(nextDocument++));
                    if (ids.length > contextLength) {
                        ids = Arrays.copyOf(ids, contextLength);
                    }
                    rows.add(ids);
                    budget += ids.length;
                }
                if (rows.isEmpty()) {
                    break;
                }
                tokens += accumulateBatch(stream, rows, hooks, layers, sums);
                progress.accept(tokens);
                if (++batches % CHECKPOINT_EVERY == 0) {
                    checkpoint(run, layers, sums, tokens, nextDocument);
                }
            }
            if (tokens == 0) {
                throw new ScalpelException("corpus '" + corpus.name() + "' produced no tokens for the second moment");
            }
            Map<Integer, Matrix> out = new LinkedHashMap<>();
            for (int l : layers) {
                Matrix c0 = sums.get(l).mean();
                write(run.resolve(layerFile(l)), c0, tokens);
                out.put(l, c0);
            }
            run.clearState();   // the sums are dff x dff per layer: no need to keep them once the layers are written
            return out;
        }
    }

    /**
     * Takes up the checkpoint of an interrupted collection of the same layers, filling {@code sums}; returns the tokens
     * accumulated and the next document ({0, 0} with {@code sums} left empty when there is nothing to take up). A
     * checkpoint of other layers is not this collection's work: it starts afresh and the checkpoint is replaced.
     */
    private long[] restore(RunFolder run, List<Integer> layers, NDManager m, Map<Integer, SecondMomentSum> sums) {
        if (!run.hasState() || !Files.exists(run.state().resolve(SUMS_FILE))) {
            return new long[] {0, 0};
        }
        int dff = model.config().intermediateSize();
        try (SafetensorsFile f = SafetensorsFile.open(run.state().resolve(SUMS_FILE))) {
            if (!layerNames(layers).equals(f.metadata().get("layers"))) {
                return new long[] {0, 0};
            }
            long tokens = Long.parseLong(f.metadata().get("tokens"));
            for (int l : layers) {
                sums.put(l, SecondMomentSum.restore(m, dff, f.toFloats("sum." + l), tokens));
            }
            return new long[] {tokens, Long.parseLong(f.metadata().get("next_document"))};
        }
    }

    /** Adds one batch's k k^T to the sums; returns its real tokens. Padding (id 0) is masked and its rows zeroed. */
    private static long accumulateBatch(ActivationStream stream, List<long[]> rows, List<String> hooks, List<Integer> layers,
                                        Map<Integer, SecondMomentSum> sums) {
        TokenBatch batch = TokenBatch.right(rows, 0);
        long real = rows.stream().mapToLong(r -> r.length).sum();
        stream.forward(batch, pass -> {
            NDArray weights = pass.manager().create(batch.countedMask(null), new Shape((long) batch.size() * batch.length(), 1));
            for (int i = 0; i < layers.size(); i++) {
                sums.get(layers.get(i)).add(pass.at(hooks.get(i)), weights, real);      // padding rows zeroed
            }
            return null;
        });
        return real;
    }

    private void checkpoint(RunFolder run, List<Integer> layers, Map<Integer, SecondMomentSum> sums, long tokens,
                            int nextDocument) {
        int dff = model.config().intermediateSize();
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        sums.forEach((l, s) -> entries.add(SafetensorsWriter.f32("sum." + l, new long[] {dff, dff}, s.toFloats())));
        Map<String, String> metadata = Map.of("layers", layerNames(layers), "tokens", Long.toString(tokens),
                "next_document", Integer.toString(nextDocument));
        run.checkpoint(folder -> SafetensorsWriter.write(folder.resolve(SUMS_FILE), entries, metadata));
    }

    private static String layerFile(int layer) {
        return "layer-" + layer + ".safetensors";
    }

    private static String layerNames(List<Integer> layers) {
        return String.join(",", layers.stream().map(String::valueOf).toList());
    }

    private static void write(Path file, Matrix c0, long tokens) {
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.f64("c0", new long[] {c0.rows(), c0.cols()}, c0.data())),
                Map.of("tokens", Long.toString(tokens)));
    }

    private static Matrix read(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            long[] shape = f.info("c0").shape();
            double[] d = new double[Math.toIntExact(shape[0] * shape[1])];
            MemorySegment seg = f.segment("c0");
            for (int i = 0; i < d.length; i++) {
                d[i] = seg.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            }
            return new Matrix((int) shape[0], (int) shape[1], d);
        }
    }
}
