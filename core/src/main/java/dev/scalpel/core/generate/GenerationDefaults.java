package dev.scalpel.core.generate;

import dev.scalpel.core.model.HfConfig;
import dev.scalpel.core.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A model folder's generation settings: generation_config.json where present, else config.json, else transformers'
 * defaults (greedy; when sampling, temperature 1, top-k 50, top-p 1).
 *
 * @param stopTokenIds the EOS ids
 * @param padTokenId the pad id (falls back to the first EOS id, then 0)
 */
public record GenerationDefaults(Set<Long> stopTokenIds, long padTokenId, boolean doSample, double temperature,
                                 int topK, double topP) {

    public static GenerationDefaults read(Path folder, ModelConfig config) {
        Path file = folder.resolve("generation_config.json");
        HfConfig gen = Files.isRegularFile(file) ? HfConfig.read(file) : null;
        Set<Long> eos = new LinkedHashSet<>();
        List<Integer> ids = gen != null && gen.has("eos_token_id") ? gen.tokenIds("eos_token_id") : config.eosTokenIds();
        ids.forEach(i -> eos.add((long) i));
        Integer pad = gen != null && gen.has("pad_token_id") ? Integer.valueOf(gen.requireInt("pad_token_id")) : config.padTokenId();
        long padId = pad != null ? pad : eos.isEmpty() ? 0 : eos.iterator().next();
        boolean sample = gen != null && gen.boolOr("do_sample", false);
        double temperature = gen != null ? gen.doubleOr("temperature", 1.0) : 1.0;
        int topK = gen != null ? gen.intOr("top_k", 50) : 50;
        double topP = gen != null ? gen.doubleOr("top_p", 1.0) : 1.0;
        return new GenerationDefaults(Set.copyOf(eos), padId, sample, temperature, topK, topP);
    }
}
