package dev.scalpel.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.KvCache;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Autoregressive decoding for causal language models, batched with left padding as transformers' generate does:
 * padded prompts share one forward pass, padding is masked, positions count real tokens only, and a finished sequence
 * is fed the pad token until the whole batch is done.
 */
public final class Generator implements SequenceSampler {
    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;

    /**
     * @param tokenizer decodes texts and detects stop strings; may be null when working with ids only
     * @param padId the id fed at padded and finished positions (any id works: those positions are masked)
     */
    public Generator(TransformerModel model, Tokenizer tokenizer, long padId) {
        if (!model.config().causal()) {
            throw new ScalpelException(model.architecture().modelType() + " is not a causal language model; it cannot generate");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /** Receives each step's chosen tokens (one per sequence; finished sequences get -1), e.g. to stream text. */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, long[] tokens);
    }

    @Override
    public Generation generate(GenerationRequest request) {
        return generate(request, Hooks.none(), null);
    }

    /** Generates; {@code hooks} run at every forward pass (prefill and each new token). */
    public Generation generate(GenerationRequest request, Hooks hooks, StepListener listener) {
        if (!request.stopStrings().isEmpty() && tokenizer == null) {
            throw new ScalpelException("stop strings need a tokenizer to decode the generated text");
        }
        int batch = request.prompts().size();
        int promptLen = request.prompts().stream().mapToInt(p -> p.length).max().orElseThrow();
        int total = promptLen + request.maxNewTokens();
        checkContext(total);

        long[][] tokens = new long[batch][total];
        long[][] mask = new long[batch][total];
        for (int b = 0; b < batch; b++) {
            long[] p = request.prompts().get(b);
            int offset = promptLen - p.length;
            Arrays.fill(tokens[b], padId);
            System.arraycopy(p, 0, tokens[b], offset, p.length);
            for (int j = offset; j < promptLen; j++) {
                mask[b][j] = 1;
            }
        }
        List<List<Long>> generated = new ArrayList<>();
        Generation.StopReason[] reasons = new Generation.StopReason[batch];
        String[] texts = new String[batch];
        TokenChooser[] choosers = new TokenChooser[batch];
        for (int b = 0; b < batch; b++) {
            generated.add(new ArrayList<>());
            // Each row gets its own stream, so a row's samples do not depend on the batch it is in.
            Sampling s = request.sampling();
            choosers[b] = new TokenChooser(new Sampling(s.greedy(), s.temperature(), s.topK(), s.topP(), s.seed() + b));
        }

        try (NDManager manager = model.newManager();
             KvCache cache = request.useCache() ? new KvCache(manager, model.config().numLayers(), total) : null) {
            int length = promptLen;
            int fed = 0;   // positions already in the cache
            for (int step = 0; step < request.maxNewTokens(); step++) {
                float[][] logits;
                try (NDManager stepManager = manager.newSubManager()) {
                    int start = request.useCache() ? fed : 0;
                    NDArray ids = stepManager.create(slice(tokens, start, length)).reshape(batch, length - start);
                    NDArray am = stepManager.create(slice(mask, 0, length)).reshape(batch, length);
                    ForwardRequest fr = ForwardRequest.of(ids).withAttentionMask(am).withCache(cache).withLastPositionOnly(true);
                    ForwardResult out = model.forward(fr, hooks, stepManager);
                    logits = rows(out.logits());
                }
                fed = length;
                long[] chosen = new long[batch];
                boolean allDone = true;
                for (int b = 0; b < batch; b++) {
                    if (reasons[b] != null) {
                        chosen[b] = -1;
                        tokens[b][length] = padId;
                        mask[b][length] = 1;
                        continue;
                    }
                    long next = choosers[b].choose(logits[b]);
                    chosen[b] = next;
                    tokens[b][length] = next;
                    mask[b][length] = 1;
                    generated.get(b).add(next);
                    if (request.stopTokenIds().contains(next)) {
                        reasons[b] = Generation.StopReason.STOP_TOKEN;
                    } else if (!request.stopStrings().isEmpty()) {
                        String text = tokenizer.decode(toArray(generated.get(b)));
                        int cut = firstStop(text, request.stopStrings());
                        if (cut >= 0) {
                            reasons[b] = Generation.StopReason.STOP_STRING;
                            texts[b] = text.substring(0, cut);
                        }
                    }
                    allDone &= reasons[b] != null;
                }
                length++;
                if (listener != null) {
                    listener.onStep(step, chosen);
                }
                if (allDone) {
                    break;
                }
            }
        }
        List<long[]> sequences = new ArrayList<>();
        List<long[]> news = new ArrayList<>();
        List<String> decoded = new ArrayList<>();
        List<Generation.StopReason> why = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            long[] p = request.prompts().get(b);
            long[] n = toArray(generated.get(b));
            long[] seq = Arrays.copyOf(p, p.length + n.length);
            System.arraycopy(n, 0, seq, p.length, n.length);
            sequences.add(seq);
            news.add(n);
            decoded.add(tokenizer == null ? null : texts[b] != null ? texts[b] : tokenizer.decode(n));
            why.add(reasons[b] != null ? reasons[b] : Generation.StopReason.LENGTH);
        }
        return new Generation(sequences, news, tokenizer == null ? null : decoded, why);
    }

    private void checkContext(int total) {
        int limit = model.config().maxPositions();
        if (model.architecture().family().learnedPositions() && total > limit) {
            throw new ScalpelException("prompt plus new tokens (" + total + ") exceed the " + limit
                    + " positions this model has learned (n_positions)");
        }
    }

    /** End index of the earliest stop string in {@code text}, or -1. */
    private static int firstStop(String text, List<String> stops) {
        int best = -1;
        for (String s : stops) {
            int i = text.indexOf(s);
            if (i >= 0 && (best < 0 || i + s.length() < best)) {
                best = i + s.length();
            }
        }
        return best;
    }

    private static long[] slice(long[][] rows, int from, int to) {
        int w = to - from;
        long[] flat = new long[rows.length * w];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], from, flat, b * w, w);
        }
        return flat;
    }

    private static float[][] rows(NDArray logits) {
        Shape s = logits.getShape();     // [B, 1, V]
        int batch = (int) s.get(0);
        int vocab = (int) s.get(2);
        float[] flat = logits.toFloatArray();
        float[][] out = new float[batch][];
        for (int b = 0; b < batch; b++) {
            out[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
        }
        return out;
    }

    private static long[] toArray(List<Long> list) {
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
