package dev.scalpel.edit;

import dev.scalpel.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.generate.Generation;
import dev.scalpel.core.generate.GenerationRequest;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.generate.Sampling;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MEMIT's context templates: "{}" plus five prefixes the model writes itself, one each after "The", "Therefore",
 * "Because", "I" and "You" (10 tokens in all, top-k 5 sampling), braces removed and ". {}" appended. Keys and values
 * are averaged over them so that an edit holds in context, not only at the start of a text. Generated once per model
 * and cached in a JSON file.
 */
public final class ContextTemplates {
    private static final List<String> STARTS = List.of("The", "Therefore", "Because", "I", "You");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContextTemplates() {
    }

    /** MEMIT's set: "{}" and 5 prefixes of 10 tokens. */
    public static List<String> forModel(TransformerModel model, Tokenizer tokenizer, long eosId, Path cache, long seed) {
        return forModel(model, tokenizer, eosId, cache, seed, List.of(new int[] {10, 5}));
    }

    /** ROME's set: "{}", 10 prefixes of 5 tokens and 10 of 10 tokens (21 templates). */
    public static List<String> rome(TransformerModel model, Tokenizer tokenizer, long eosId, Path cache, long seed) {
        return forModel(model, tokenizer, eosId, cache, seed, List.of(new int[] {5, 10}, new int[] {10, 10}));
    }

    /**
     * The templates for {@code model}, read from {@code cache} if it exists, else generated (seeded) and written there.
     *
     * @param lengthsAndCounts pairs {tokens, count}: count prefixes of that many tokens, spread over the start words
     */
    public static List<String> forModel(TransformerModel model, Tokenizer tokenizer, long eosId, Path cache, long seed,
                                        List<int[]> lengthsAndCounts) {
        if (cache != null && Files.exists(cache)) {
            try {
                return List.of(JSON.readValue(cache.toFile(), String[].class));
            } catch (IOException e) {
                throw new ScalpelException(cache + ": unreadable context templates: " + e.getMessage(), e);
            }
        }
        List<String> templates = new ArrayList<>(List.of("{}"));
        Generator generator = new Generator(model, tokenizer, eosId);
        int bos = tokenizer.encode("").length;
        long draw = 0;
        for (int[] lc : lengthsAndCounts) {
            for (int i = 0; i < lc[1]; i++) {
                long[] prompt = tokenizer.encode(STARTS.get(i % STARTS.size()));
                int newTokens = Math.max(1, lc[0] - prompt.length + bos);
                Generation g = generator.generate(new GenerationRequest(List.of(prompt), newTokens,
                        Sampling.sample(1.0, 5, 1.0, seed + draw++), Set.of(), List.of(), true));
                String text = tokenizer.decode(g.sequences().get(0), true);
                templates.add(text.replace("{", " ").replace("}", " ") + ". {}");
            }
        }
        if (cache != null) {
            AtomicFiles.writeJson(JSON, cache, templates);
        }
        return List.copyOf(templates);
    }
}
