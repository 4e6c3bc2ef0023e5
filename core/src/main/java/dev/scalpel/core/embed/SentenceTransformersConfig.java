package dev.scalpel.core.embed;

import dev.scalpel.core.activations.TokenPooling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sentence-transformers folder says about turning token vectors into a sentence vector: {@code modules.json}
 * lists the modules (Transformer, Pooling, Normalize), the Pooling module's {@code config.json} the pooling mode, and
 * {@code sentence_bert_config.json} the token limit. A folder without {@code modules.json} (a plain transformers
 * BertModel) gets what sentence-transformers gives such a model: mean pooling; Scalpel adds L2 normalization, as
 * all-MiniLM-L6-v2 and LangChain4j do.
 *
 * @param maxSeqLength sentence-transformers' token limit, [CLS] and [SEP] included; 0 when the folder sets none
 */
record SentenceTransformersConfig(TokenPooling pooling, boolean normalize, int maxSeqLength) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "sentence_transformers.models.";

    static SentenceTransformersConfig read(Path folder) {
        int maxSeqLength = 0;
        Path bertConfig = folder.resolve("sentence_bert_config.json");
        if (Files.isRegularFile(bertConfig)) {
            maxSeqLength = readJson(bertConfig).path("max_seq_length").asInt(0);
        }
        Path modulesFile = folder.resolve("modules.json");
        if (!Files.isRegularFile(modulesFile)) {
            return new SentenceTransformersConfig(TokenPooling.MEAN, true, maxSeqLength);
        }
        TokenPooling pooling = null;
        boolean normalize = false;
        for (JsonNode module : readJson(modulesFile)) {
            String type = module.path("type").asText();
            switch (type) {
                case PREFIX + "Transformer" -> { }
                case PREFIX + "Pooling" -> pooling = poolingMode(folder.resolve(module.path("path").asText())
                        .resolve("config.json"));
                case PREFIX + "Normalize" -> normalize = true;
                default -> throw new ScalpelException(modulesFile + ": module " + module.path("name").asText() + " of type '"
                        + type + "' is not supported (Scalpel runs Transformer, Pooling and Normalize modules)");
            }
        }
        if (pooling == null) {
            throw new ScalpelException(modulesFile + ": lists no Pooling module");
        }
        return new SentenceTransformersConfig(pooling, normalize, maxSeqLength);
    }

    private static TokenPooling poolingMode(Path file) {
        JsonNode c = readJson(file);
        List<String> on = new ArrayList<>();
        c.properties().forEach(e -> {
            if (e.getKey().startsWith("pooling_mode_") && e.getValue().asBoolean(false)) {
                on.add(e.getKey());
            }
        });
        if (on.equals(List.of("pooling_mode_mean_tokens"))) {
            return TokenPooling.MEAN;
        }
        if (on.equals(List.of("pooling_mode_cls_token"))) {
            return TokenPooling.CLS;
        }
        throw new ScalpelException(file + ": pooling " + on + " is not supported (Scalpel pools with exactly one of "
                + "pooling_mode_mean_tokens and pooling_mode_cls_token)");
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScalpelException(file + ": file not found");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
