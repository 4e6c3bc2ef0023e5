package dev.scalpel.edit.stats;

import dev.scalpel.core.activations.SecondMomentSum;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.linalg.Matrix;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.model.LinearModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * C0, the uncentered second moment of the keys: sum(k k^T) / count over every token of a text corpus, for the input of
 * each edited layer's down projection. Documents are truncated to the model's context, packed into batches by a token
 * budget, and accumulated in float32 on the engine (a {@link SecondMomentSum} per layer). The result is cached on disk per
 * (model, layer, corpus, token count); a partial accumulation is saved as it goes, so an interrupted collection resumes.
 */
public final class SecondMoment {
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
        String modelHash = WeightFingerprint.of(model);
        Map<Integer, Matrix> out = new LinkedHashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int l : layers) {
            Path f = cacheFile(modelHash, List.of(l), corpus.hash(), maxTokens, contextLength, false);
            if (Files.exists(f)) {
                out.put(l, read(f));
            } else {
                missing.add(l);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(accumulate(missing, corpus, maxTokens, tokenBudget, contextLength, modelHash, progress));
        }
        Map<Integer, Matrix> ordered = new LinkedHashMap<>();
        layers.forEach(l -> ordered.put(l, out.get(l)));
        return ordered;
    }

    private Map<Integer, Matrix> accumulate(List<Integer> layers, Corpus corpus, long maxTokens, int tokenBudget,
                                            int contextLength, String modelHash, LongConsumer progress) {
        int dff = model.config().intermediateSize();
        long tokens = 0;
        int nextDocument = 0;
        Map<Integer, SecondMomentSum> sums = new LinkedHashMap<>();
        try (NDManager m = model.newManager()) {
            // Resume from a partial accumulation if one was saved.
            // Named by every layer it accumulates: a collection for other layers never resumes from it.
            Path partial = cacheFile(modelHash, layers, corpus.hash(), maxTokens, contextLength, true);
            if (Files.exists(partial)) {
                try (SafetensorsFile f = SafetensorsFile.open(partial)) {
                    tokens = Long.parseLong(f.metadata().get("tokens"));
                    nextDocument = Integer.parseInt(f.metadata().get("next_document"));
                    for (int l : layers) {
                        sums.put(l, SecondMomentSum.restore(m, dff, f.toFloats("sum." + l), tokens));
                    }
                }
            } else {
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
                        ids = java.util.Arrays.copyOf(ids, contextLength);
                    }
                    rows.add(ids);
                    budget += ids.length;
                }
                if (rows.isEmpty()) {
                    break;
                }
                tokens += accumulateBatch(stream, rows, hooks, layers, sums);
                progress.accept(tokens);
                if (++batches % 50 == 0) {
                    savePartial(partial, sums, tokens, nextDocument);
                }
            }
            if (tokens == 0) {
                throw new ScalpelException("corpus '" + corpus.name() + "' produced no tokens for the second moment");
            }
            Map<Integer, Matrix> out = new LinkedHashMap<>();
            for (int l : layers) {
                Matrix c0 = sums.get(l).mean();
                write(cacheFile(modelHash, List.of(l), corpus.hash(), maxTokens, contextLength, false), c0, tokens);
                out.put(l, c0);
            }
            java.nio.file.Files.deleteIfExists(partial);
            return out;
        } catch (java.io.IOException e) {
            throw new ScalpelException(cacheFolder + ": cannot write second-moment statistics: " + e.getMessage(), e);
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

    /**
     * Keyed by everything that determines C0: the weights, the layers, the corpus, the token count and the context
     * length documents are cut to (the token budget per pass only changes the batching).
     */
    private Path cacheFile(String modelHash, List<Integer> layers, String corpusHash, long maxTokens, int contextLength,
                           boolean partial) {
        String layerNames = String.join("_", layers.stream().map(String::valueOf).toList());
        String name = String.format("c0-%s-layer%s-%s-%d-ctx%d%s.safetensors", modelHash.substring(0, 16), layerNames,
                corpusHash.substring(0, 16), maxTokens, contextLength, partial ? ".partial" : "");
        return cacheFolder.resolve(name);
    }

    private void savePartial(Path file, Map<Integer, SecondMomentSum> sums, long tokens, int nextDocument) {
        int dff = model.config().intermediateSize();
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        sums.forEach((l, s) -> entries.add(SafetensorsWriter.f32("sum." + l, new long[] {dff, dff}, s.toFloats())));
        try {
            Files.createDirectories(cacheFolder);
        } catch (java.io.IOException e) {
            throw new ScalpelException(cacheFolder + ": " + e.getMessage(), e);
        }
        SafetensorsWriter.write(file, entries, Map.of("tokens", Long.toString(tokens), "next_document", Integer.toString(nextDocument)));
    }

    private void write(Path file, Matrix c0, long tokens) {
        try {
            Files.createDirectories(cacheFolder);
        } catch (java.io.IOException e) {
            throw new ScalpelException(cacheFolder + ": " + e.getMessage(), e);
        }
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.f64("c0", new long[] {c0.rows(), c0.cols()}, c0.data())),
                Map.of("tokens", Long.toString(tokens)));
    }

    private static Matrix read(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            long[] shape = f.info("c0").shape();
            double[] d = new double[Math.toIntExact(shape[0] * shape[1])];
            java.lang.foreign.MemorySegment seg = f.segment("c0");
            for (int i = 0; i < d.length; i++) {
                d[i] = seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
            }
            return new Matrix((int) shape[0], (int) shape[1], d);
        }
    }
}
