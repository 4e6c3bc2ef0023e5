package dev.scalpel.edit.metrics;

import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the model says after each prompt: greedy continuations of a few tokens, in batches, with a KV cache. */
final class GreedyContinuations {
    private static final int BATCH = 32;

    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long padId;

    GreedyContinuations(TransformerModel model, Tokenizer tokenizer, long padId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.padId = padId;
    }

    /** The new token ids after each prompt, {@code lengths.get(i)} of them for prompt i (fewer if the model ended). */
    List<long[]> of(List<String> prompts, List<Integer> lengths) {
        List<long[]> out = new ArrayList<>();
        Generator generator = new Generator(model, tokenizer, padId);
        for (int start = 0; start < prompts.size(); start += BATCH) {
            int end = Math.min(prompts.size(), start + BATCH);
            List<long[]> chunk = prompts.subList(start, end).stream().map(tokenizer::encode).toList();
            int longest = lengths.subList(start, end).stream().mapToInt(Integer::intValue).max().orElse(1);
            List<long[]> generated = generator.generate(new GenerationRequest(chunk, longest, Sampling.greedyDecoding(),
                    Set.of(), List.of(), true)).newTokens();
            for (int i = 0; i < generated.size(); i++) {
                long[] g = generated.get(i);
                out.add(java.util.Arrays.copyOf(g, Math.min(g.length, lengths.get(start + i))));
            }
        }
        return out;
    }

    /** How many tokens to generate to see {@code target}: its own, plus two for another segmentation of the same text. */
    int lengthFor(String target) {
        return tokenizer.encode(" " + target, false).length + 2;
    }

    /** Whether {@code continuation} begins with the word(s) {@code target} (not merely a longer word starting so). */
    boolean beginsWith(long[] continuation, String target) {
        String text = tokenizer.decode(continuation, true).strip();
        String t = target.strip();
        return text.startsWith(t) && (text.length() == t.length() || !Character.isLetterOrDigit(text.charAt(t.length())));
    }
}
