package dev.scalpel.interpret.probe;

import ai.djl.ndarray.NDArray;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.TokenizedText;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs texts through a model and hands each batch's activations at one hook point ({@code [B, T, d]}, e.g.
 * {@code blocks.3.hook_resid_post}) to consumers, with a mask of the tokens that count. Texts are sorted by length and
 * run {@code batchSize} at a time through core's {@link ActivationStream}, right-padded with an attention mask, so that
 * a batch pads little and each text's activations are what it gets alone (to float rounding). Padding never counts;
 * with {@code dropSpecialTokens} a BOS, [CLS] or [SEP] does not either (unless the text has no other token).
 *
 * <p>One pass can feed several consumers (hidden-state and SAE features from the same forward). Not thread-safe.
 */
public final class HookActivations {
    /**
     * @param hook the hook point whose activations are read
     * @param batchSize texts per forward pass
     * @param dropSpecialTokens leave the tokenizer's special tokens out of the mask
     */
    public record Config(String hook, int batchSize, boolean dropSpecialTokens) {
        public Config {
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

    private final TextTokenizer tokenizer;
    private final Config config;
    private final ActivationStream stream;

    /** @throws ScalpelException naming the hook point if the model has none of that name */
    public HookActivations(TransformerModel model, TextTokenizer tokenizer, Config config) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.stream = ActivationStream.of(model, List.of(config.hook())).lastPositionOnly();
    }

    public Config config() {
        return config;
    }

    /** Tokenizes every text, then runs the batches through the model and the consumers. */
    public void run(List<String> texts, ActivationStream.Progress progress, Consumer... consumers) {
        List<TokenizedText> tokens = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            TokenizedText t = tokenizer.tokenize(texts.get(i));
            if (t.length() == 0) {
                throw new ScalpelException("text " + (i + 1) + " of " + texts.size() + " has no tokens (it is empty and "
                        + "the tokenizer adds no special token); the model cannot read it");
            }
            tokens.add(t);
        }
        stream.forEachBatch(tokens, new ActivationStream.Batching(config.batchSize(), true), TokenBatch::ofTexts,
                progress, (batch, pass) -> {
                    NDArray activations = pass.at(config.hook());
                    NDArray mask = pass.manager().create(pass.tokens().countedMask(counted(batch, tokens)),
                            pass.tokens().shape());
                    for (Consumer c : consumers) {
                        c.accept(batch, activations, mask);
                    }
                });
    }

    /** Per row, the tokens that count: all of them, or the content between the special tokens. */
    private List<boolean[]> counted(int[] batch, List<TokenizedText> tokens) {
        List<boolean[]> out = new ArrayList<>();
        for (int i : batch) {
            TokenizedText t = tokens.get(i);
            boolean content = config.dropSpecialTokens() && t.hasContent();
            boolean[] c = new boolean[t.length()];
            java.util.Arrays.fill(c, content ? t.contentStart() : 0, content ? t.contentEnd() : t.length(), true);
            out.add(c);
        }
        return out;
    }
}
