package dev.scalpel.cli;

import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.lab.build.LabData;
import dev.scalpel.lab.build.LabHome;
import dev.scalpel.lab.build.LabProfile;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.build.LmEvaluator;
import dev.scalpel.lab.build.LmMetrics;
import dev.scalpel.lab.corpus.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lab eval FOLDER}: a model derived from lab-lm (pruned, scaled, edited, quantized) judged on the metrics lab-lm
 * was built with, on the same data, so its numbers sit beside the original's. The folder must carry the lab's
 * tokenizer: a model that tokenizes otherwise would be scored on different text.
 */
final class DerivedModelEvaluation {
    private DerivedModelEvaluation() {
    }

    static Map<String, Object> evaluate(Path folder, String splitName, boolean tiny) {
        Split split = switch (splitName) {
            case "test" -> Split.TEST;
            case "validation" -> Split.VALIDATION;
            default -> throw new ScalpelException("--split is test or validation, not '" + splitName + "'");
        };
        LabProfile profile = tiny ? LabProfile.TINY : LabProfile.DEFAULT;
        LabSpec spec = LabSpec.of("lab-lm", profile);
        try (LabData data = LabData.prepare(LabHome.fromEnvironment(), profile, LabSpec.SEED);
             LoadedModel loaded = LoadedModel.open(folder)) {
            requireLabTokenizer(folder, data, profile);
            LmMetrics metrics = new LmEvaluator(loaded.model(), data.tokenizer(), data.special().eosId(),
                    data.special().padId()).evaluate(data, split, spec.maxFactsEvaluated(), spec.maxProblemsPerLevel(),
                    spec.sequenceLength());
            Map<String, Object> out = new LinkedHashMap<>(LabCommand.snake(metrics));
            out.put("model", folder.toString());
            out.put("weight_fingerprint", WeightFingerprint.of(loaded.model()));
            out.put("lab_data_hash", data.hash());
            return out;
        }
    }

    private static void requireLabTokenizer(Path folder, LabData data, LabProfile profile) {
        try {
            Path theirs = folder.resolve("tokenizer.json");
            if (!Files.isRegularFile(theirs) || !Arrays.equals(Files.readAllBytes(theirs),
                    Files.readAllBytes(data.tokenizerFolder().resolve("tokenizer.json")))) {
                throw new ScalpelException(folder + ": its tokenizer.json is not the lab's ("
                        + profile.name().toLowerCase(java.util.Locale.ROOT) + " profile" + (profile == LabProfile.DEFAULT
                        ? "; --tiny for models derived from lab-lm-tiny" : "") + "): lab eval judges models derived from lab-lm");
            }
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot read its tokenizer: " + e.getMessage(), e);
        }
    }
}
