package dev.scalpel.lab.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hparams.HyperparameterFiles;
import dev.scalpel.core.train.TrainingConfig;
import dev.scalpel.lab.corpus.MixWeights;
import java.util.List;
import java.util.Locale;

/**
 * One lab model's recipe, read from its named profile {@code hparams/{name}/{profile}.json} in lab's resources
 * ({@code hparams/lab-lm/default.json}, {@code hparams/lab-lm/tiny.json}): architecture (a config.json), data mix,
 * sequence and batch sizes, training schedule and evaluation sizes. The default profiles are the shipped models'
 * recipes (hours on 2 cores; chosen on the validation split); the tiny ones build in seconds for tests.
 *
 * <p>Mix weights are by document: fact documents are ~100 tokens, prose passages ~200, problems ~65, definitions ~25.
 * The second edition's lab-lm gives prose about 40% of the tokens, facts 35%, arithmetic 23% (docs/reproductions/lab).
 *
 * <p>A profile is the model's identity: a built model is cached under its name and profile and its manifest.json
 * records the recipe, so a recipe is never overridden from the command line (a different recipe is a different model).
 *
 * @param profile the profile the file is for (the file states it, and it must match where it was found)
 * @param objective "causal" (next-token) or "mdlm" (masked diffusion)
 * @param config the model's Hugging Face config.json; its vocab_size is the profile's tokenizer size
 * @param maxFactsEvaluated lab-lm's fact-recall evaluation size (0 for lab-mdlm)
 * @param maxProblemsPerLevel lab-lm's arithmetic evaluation size per level (0 for lab-mdlm)
 * @param mdlmEvaluation lab-mdlm's evaluation sizes (zeros for lab-lm)
 */
public record LabSpec(String name, LabProfile profile, String objective, ObjectNode config, MixWeights mix,
                      int sequenceLength, int batchSize, TrainingConfig training, int maxFactsEvaluated,
                      int maxProblemsPerLevel, MdlmEvaluation mdlmEvaluation) {

    public static final List<String> NAMES = List.of("lab-lm", "lab-mdlm");
    public static final long SEED = 42;

    /**
     * How lab-mdlm is judged: its ELBO bound on up to {@code maxBatches} test batches and {@code samples} unconditional
     * samples of {@code sampleLength} tokens drawn in {@code samplerSteps} reverse steps.
     */
    public record MdlmEvaluation(int maxBatches, int samples, int sampleLength, int samplerSteps) {
    }

    public LabSpec {
        if (!objective.equals("causal") && !objective.equals("mdlm")) {
            throw new IllegalArgumentException("objective must be causal or mdlm, not '" + objective + "'");
        }
    }

    public static LabSpec of(String name, LabProfile profile) {
        if (!NAMES.contains(name)) {
            throw new ScalpelException("unknown lab model '" + name + "' (known: " + NAMES + ")");
        }
        String file = profile.name().toLowerCase(Locale.ROOT);
        LabSpec spec = HyperparameterFiles.load(LabSpec.class, name, file, List.of());
        String source = HyperparameterFiles.resource(name, file);
        if (!spec.name().equals(name) || spec.profile() != profile) {
            throw new ScalpelException(source + ": describes " + spec.name() + " " + spec.profile() + ", not " + name + " "
                    + profile);
        }
        int vocab = spec.config().path("vocab_size").asInt(-1);
        if (vocab != profile.vocabSize()) {
            throw new ScalpelException(source + ": key 'config.vocab_size' is " + vocab + " but the " + file
                    + " profile's tokenizer has " + profile.vocabSize() + " entries");
        }
        return spec;
    }
}
