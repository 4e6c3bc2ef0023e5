package dev.scalpel.interpret.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.TransformerModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs texts through a model and hands each batch's activations at one hook point ({@code [B, T, d]}, e.g.
 * {@code blocks.3.hook_resid_post}) to consumers, with a mask of the tokens that count. Texts are sorted by length and
 * run {@code batchSize} at a time, right-padded with an attention mask, so that a batch pads little and each text's
 * activations are what it gets alone (to float rounding). Padding never counts; with {@code dropSpecialTokens} a BOS,
 * [CLS] or [SEP] does not either (unless the text has no other token).
 *
 * <p>One pass can feed several consumers (hidden-state and SAE features from the same forward). Not thread-safe.
 */
public final class HookActivations implements AutoCloseable {
    /**
     * @param hook the hook point whose activations are read
     * @param batchSize texts per forward pass
     * @param dropSpecialTokens leave the tokenizer's special tokens out of the mask
     */
    public record Settings(String hook, int batchSize, boolean dropSpecialTokens) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
            }
        }
    }

    /** Receives one batch; the arrays are closed after it returns. */
    @FunctionalInterface
    public interface Consumer {
        /**
         * @param texts the data set index of each batch row
         * @param activations {@code [B, T, d]} float32 at the hook
         * @param mask {@code [B, T]} float32: 1 for a token that counts
         */
        void accept(int[] texts, NDArray activations, NDArray mask);
    }

    private final TransformerModel model;
    private final TextTokenizer tokenizer;
    private final Settings settings;
    private final NDManager manager;

    public HookActivations(TransformerModel model, TextTokenizer tokenizer, Settings settings) {
        if (!model.hookPoints().contains(settings.hook())) {
            throw new ScalpelException("unknown hook point '" + settings.hook() + "' for "
                    + model.architecture().modelType() + "; for example " + model.hookPoints().stream()
                    .filter(h -> h.endsWith("hook_resid_post")).findFirst().orElse(model.hookPoints().getFirst())
                    + " (scalpel inspect lists them all)");
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.manager = NDManager.newBaseManager();
    }

    public Settings settings() {
        return settings;
    }

    /** Tokenizes every text, then runs the batches through the model and the consumers. */
    public void run(List<String> texts, ProgressListener progress, Consumer... consumers) {
        List<TokenizedText> tokens = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            TokenizedText t = tokenizer.tokenize(texts.get(i));
            if (t.length() == 0) {
                throw new ScalpelException("text " + (i + 1) + " of " + texts.size() + " has no tokens (it is empty and "
                        + "the tokenizer adds no special token); the model cannot read it");
            }
            tokens.add(t);
        }
        int[] order = IntStream.range(0, tokens.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -tokens.get(i).length()).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        int done = 0;
        for (int start = 0; start < order.length; start += settings.batchSize()) {
            int[] batch = Arrays.copyOfRange(order, start, Math.min(order.length, start + settings.batchSize()));
            runBatch(batch, tokens, consumers);
            done += batch.length;
            progress.update(done, order.length);
        }
    }

    private void runBatch(int[] batch, List<TokenizedText> tokens, Consumer[] consumers) {
        int b = batch.length;
        int length = tokens.get(batch[0]).length();
        long[] ids = new long[b * length];         // padding: id 0, masked out
        long[] types = new long[b * length];
        long[] attention = new long[b * length];
        float[] counted = new float[b * length];
        for (int r = 0; r < b; r++) {
            TokenizedText t = tokens.get(batch[r]);
            int at = r * length;
            System.arraycopy(t.ids(), 0, ids, at, t.length());
            System.arraycopy(t.typeIds(), 0, types, at, t.length());
            Arrays.fill(attention, at, at + t.length(), 1L);
            boolean content = settings.dropSpecialTokens() && t.hasContent();
            Arrays.fill(counted, at + (content ? t.contentStart() : 0), at + (content ? t.contentEnd() : t.length()), 1f);
        }
        Shape shape = new Shape(b, length);
        try (NDManager m = manager.newSubManager()) {
            ForwardRequest request = ForwardRequest.of(m.create(ids, shape)).withAttentionMask(m.create(attention, shape))
                    .withLastPositionOnly(true);
            if (!model.architecture().isCausal()) {
                request = request.withTokenTypeIds(m.create(types, shape));
            }
            Hooks hooks = Hooks.caching(m, List.of(settings.hook()));
            try (ForwardResult ignored = model.forward(request, hooks, m)) {
                NDArray activations = hooks.cache().get(settings.hook());
                Shape s = activations.getShape();
                if (s.dimension() != 3 || s.get(0) != b || s.get(1) != length) {
                    throw new ScalpelException("hook point '" + settings.hook() + "' gives activations of shape " + s
                            + "; features need one vector per token, [batch, tokens, d] (a residual, MLP or attention "
                            + "output hook)");
                }
                NDArray mask = m.create(counted, shape);
                for (Consumer c : consumers) {
                    c.accept(batch, activations, mask);
                }
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
