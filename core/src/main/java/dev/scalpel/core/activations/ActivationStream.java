package dev.scalpel.core.activations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hooks.ActivationCache;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.TokenizedText;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Data through a model with hooks, the one way Scalpel reads activations: token batches, one forward pass each with
 * the named hook points cached, and a callback per batch. Everything native a pass makes (inputs, outputs, cached
 * activations) lives in a manager that is closed when the callback returns, so a callback copies out what it keeps
 * (as Java arrays or {@link dev.scalpel.core.linalg.Matrix}) and a long stream does not grow native memory.
 */
public final class ActivationStream {
    private final TransformerModel model;
    private final List<String> hooks;
    private final boolean lastPositionOnly;

    private ActivationStream(TransformerModel model, List<String> hooks, boolean lastPositionOnly) {
        this.model = model;
        this.hooks = List.copyOf(hooks);
        this.lastPositionOnly = lastPositionOnly;
    }

    /**
     * Caches {@code hooks} at every pass; logits are computed at every position.
     *
     * @throws ScalpelException naming a hook point the model does not have
     */
    public static ActivationStream of(TransformerModel model, List<String> hooks) {
        for (String h : hooks) {
            if (!model.hookPoints().contains(h)) {
                throw new ScalpelException("unknown hook point '" + h + "' for " + model.architecture().modelType()
                        + "; for example " + model.hookPoints().stream().filter(p -> p.endsWith(dev.scalpel.core.model.HookNames.RESID_POST))
                        .findFirst().orElse(model.hookPoints().getFirst()) + " (scalpel inspect lists them all)");
            }
        }
        return new ActivationStream(model, hooks, false);
    }

    /** The same stream computing logits at the last position only: for readers that want activations, not logits. */
    public ActivationStream lastPositionOnly() {
        return new ActivationStream(model, hooks, true);
    }

    public TransformerModel model() {
        return model;
    }

    /**
     * What a callback sees of one batch. Every array is closed when the callback returns.
     *
     * @param activations the cached hook points (null when the stream caches none)
     */
    public record Pass(TokenBatch tokens, ForwardResult output, ActivationCache activations, NDManager manager) {
        /**
         * The activations at {@code hook}: {@code [rows, length, ...]}.
         *
         * @throws ScalpelException if the hook point does not give one vector per token (an attention pattern does not)
         */
        public NDArray at(String hook) {
            if (activations == null || !activations.contains(hook)) {
                throw new IllegalStateException("the stream does not cache '" + hook + "'; name it in ActivationStream.of");
            }
            NDArray a = activations.get(hook);
            Shape s = a.getShape();
            if (s.dimension() < 3 || s.get(0) != tokens.size() || s.get(1) != tokens.length()) {
                throw new ScalpelException("hook point '" + hook + "' gives activations of shape " + s
                        + "; this needs one vector per token, [batch, tokens, d] (a residual, MLP or attention output hook)");
            }
            return a;
        }
    }

    /** Reads what it needs from one pass and returns it as Java values. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Pass pass);
    }

    /** Receives one batch of a stream: which items (indices into the list given) and their pass. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(int[] items, Pass pass);
    }

    /** Told after each batch how many items are done. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);

        Progress NONE = (done, total) -> { };
    }

    /**
     * How items are grouped into batches.
     *
     * @param rows items per forward pass
     * @param longestFirst run items sorted by length, longest first (ties in list order), so that a batch pads little;
     *     false keeps list order
     */
    public record Batching(int rows, boolean longestFirst) {
        public Batching {
            if (rows < 1) {
                throw new IllegalArgumentException("batch size must be at least 1: " + rows);
            }
        }
    }

    /** One forward pass over {@code batch}; returns what {@code reader} read before the pass's arrays were closed. */
    public <T> T forward(TokenBatch batch, Reader<T> reader) {
        TokenBatch sent = model.config().causal() && batch.typeIds() != null ? batch.withoutTypeIds() : batch;
        try (NDManager m = model.newManager()) {
            Hooks h = hooks.isEmpty() ? Hooks.none() : Hooks.caching(m, hooks);
            ForwardRequest request = sent.request(m).withLastPositionOnly(lastPositionOnly);
            try (ForwardResult out = model.forward(request, h, m)) {
                return reader.read(new Pass(sent, out, hooks.isEmpty() ? null : h.cache(), m));
            }
        }
    }

    /**
     * Every item through the model, {@code batching.rows()} at a time; {@code layout} pads each group into a batch
     * (for example {@link TokenBatch#ofTexts}).
     */
    public void forEachBatch(List<TokenizedText> items, Batching batching, Function<List<TokenizedText>, TokenBatch> layout,
                             Progress progress, BatchConsumer consumer) {
        int[] order = batching.longestFirst()
                ? IntStream.range(0, items.size()).boxed()
                        .sorted(Comparator.comparingInt((Integer i) -> -items.get(i).length()).thenComparingInt(i -> i))
                        .mapToInt(Integer::intValue).toArray()
                : IntStream.range(0, items.size()).toArray();
        int done = 0;
        for (int start = 0; start < order.length; start += batching.rows()) {
            int[] group = Arrays.copyOfRange(order, start, Math.min(order.length, start + batching.rows()));
            TokenBatch batch = layout.apply(Arrays.stream(group).mapToObj(items::get).toList());
            forward(batch, pass -> {
                consumer.accept(group, pass);
                return null;
            });
            done += group.length;
            progress.update(done, order.length);
        }
    }
}
