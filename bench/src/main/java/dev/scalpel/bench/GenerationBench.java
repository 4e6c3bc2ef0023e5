package dev.scalpel.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Greedy decoding (batch 1, a 32-token prompt, 128 new tokens, KV cache) and prefill (512 tokens), Scalpel against
 * jlama on the same checkpoint, both in float32 on the same threads. Decode speed counts the 127 steps after the
 * first new token, so it measures per-token work, not the prompt.
 */
final class GenerationBench {
    static final int PROMPT = 32;
    static final int NEW_TOKENS = 128;
    static final int PREFILL = 512;

    private GenerationBench() {
    }

    static List<Measurement> run(String name, Path scalpelFolder, Path jlamaFolder, int vocab, int repeats) {
        long[] prompt = randomIds(PROMPT, vocab, 1);
        long[] longPrompt = randomIds(PREFILL, vocab, 2);
        Map<String, Object> decodeSettings = Map.of("prompt_tokens", PROMPT, "new_tokens", NEW_TOKENS, "batch", 1,
                "dtype", "float32", "decoding", "greedy with KV cache");
        Map<String, Object> prefillSettings = Map.of("prompt_tokens", PREFILL, "batch", 1, "dtype", "float32");
        List<Measurement> out = new ArrayList<>();
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(scalpelFolder, nd)) {
            Generator generator = new Generator(model, null, 0);
            double[] decode = Repeat.runs(1, repeats, () -> scalpelDecode(generator, prompt));
            out.add(new Measurement("decode." + name, "scalpel", Repeat.median(decode), "tokens/s", decode, decodeSettings));
            double[] prefill = Repeat.runs(1, repeats, () -> scalpelPrefill(model, nd, longPrompt));
            out.add(new Measurement("prefill." + name, "scalpel", Repeat.median(prefill), "tokens/s", prefill, prefillSettings));
        }
        try (AbstractModel jlama = ModelSupport.loadModel(jlamaFolder.toFile(), DType.F32, DType.F32)) {
            double[] decode = Repeat.runs(1, repeats, () -> jlamaDecode(jlama, prompt));
            out.add(new Measurement("decode." + name, "jlama", Repeat.median(decode), "tokens/s", decode, decodeSettings));
            double[] prefill = Repeat.runs(1, repeats, () -> jlamaPrefill(jlama, longPrompt));
            out.add(new Measurement("prefill." + name, "jlama", Repeat.median(prefill), "tokens/s", prefill, prefillSettings));
        }
        return out;
    }

    static double scalpelDecode(Generator generator, long[] prompt) {
        long[] firstAt = new long[1];
        long[] lastAt = new long[1];
        Generation g = generator.generate(GenerationRequest.greedy(prompt, NEW_TOKENS), Hooks.none(), (step, tokens) -> {
            long now = System.nanoTime();
            if (step == 0) {
                firstAt[0] = now;
            }
            lastAt[0] = now;
        });
        check(g.newTokens().get(0).length == NEW_TOKENS, "scalpel generated " + g.newTokens().get(0).length + " tokens");
        return (NEW_TOKENS - 1) / ((lastAt[0] - firstAt[0]) / 1e9);
    }

    private static double scalpelPrefill(TransformerModel model, NDManager nd, long[] ids) {
        try (NDManager step = nd.newSubManager()) {
            NDArray input = step.create(ids).reshape(1, ids.length);
            long t0 = System.nanoTime();
            NDArray logits = model.forward(ForwardRequest.of(input).withLastPositionOnly(true), step).logits();
            logits.toFloatArray();   // wait for the result, as a caller would
            return ids.length / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static double jlamaDecode(AbstractModel model, long[] prompt) {
        int[] tokens = toInts(prompt);
        try (KvBufferCache.KvBuffer kv = ephemeralKv(model);
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            AbstractTensor last = model.batchForward(tokens, 0, kv);
            int next = model.sample(last.slice(last.shape().first() - 1), 0f, 0.5f, logits);
            last.close();
            long t0 = System.nanoTime();
            for (int i = 0; i < NEW_TOKENS - 1; i++) {
                AbstractTensor output = model.forward(next, tokens.length + i, kv, java.util.Optional.empty());
                next = model.sample(output, 0f, 0.5f, logits);
                output.close();
            }
            return (NEW_TOKENS - 1) / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double jlamaPrefill(AbstractModel model, long[] ids) {
        int[] tokens = toInts(ids);
        try (KvBufferCache.KvBuffer kv = ephemeralKv(model);
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            long t0 = System.nanoTime();
            AbstractTensor last = model.batchForward(tokens, 0, kv);
            model.sample(last.slice(last.shape().first() - 1), 0f, 0.5f, logits);
            double rate = tokens.length / ((System.nanoTime() - t0) / 1e9);
            last.close();
            return rate;
        }
    }

    // jlama's generate() holds the cache privately; its forward methods take one, so borrow the model's own.
    private static KvBufferCache.KvBuffer ephemeralKv(AbstractModel model) {
        try {
            Field f = AbstractModel.class.getDeclaredField("kvBufferCache");
            f.setAccessible(true);
            return ((KvBufferCache) f.get(model)).getEphemeralKvBuffer();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jlama's internals changed: " + e, e);
        }
    }

    static long[] randomIds(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 3 + r.nextInt(Math.min(vocab, 30000) - 3);
        }
        return ids;
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
