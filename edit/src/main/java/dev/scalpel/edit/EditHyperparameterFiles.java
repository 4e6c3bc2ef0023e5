package dev.scalpel.edit;

import dev.scalpel.core.hparams.HyperparameterFiles;
import dev.scalpel.core.hparams.HyperparameterOverride;
import dev.scalpel.core.model.Architecture;
import dev.scalpel.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Which hyperparameters an edit runs with: {@code hparams/{method}/{model}.json}, as in EasyEdit. Scalpel ships files
 * for the models the methods were tuned on ({@link #MODELS}: the papers' GPT2-XL and Llama3-8B configs, and the lab
 * models' values recorded in docs/reproductions/editing); a user may name one of them or pass a file, and override
 * single values with {@code --hparam name=value}.
 *
 * <p>A model without a file of its own borrows the nearest tuned one: GPT-2 models GPT2-XL's, other families
 * Llama3-8B's, and models under about 50M parameters lab-lm's (the papers' lambda of 15,000-20,000 is tuned to large
 * models' key norms and leaves every edit on a small model ineffective), with the early-middle layers of its own depth.
 */
public final class EditHyperparameterFiles {
    /** The models Scalpel ships hyperparameters for, for every method. */
    public static final List<String> MODELS = List.of("lab-lm", "lab-lm-tiny", "gpt2-xl", "llama3-8b");

    private EditHyperparameterFiles() {
    }

    /** One method's hyperparameters from a named file or a JSON path, with overrides. */
    public static EditHyperparameters load(EditMethod method, String nameOrPath, List<HyperparameterOverride> overrides) {
        return HyperparameterFiles.load(method.hyperparametersType(), method.cliName(), nameOrPath, overrides);
    }

    /**
     * The hyperparameters for {@code model}: {@code hparams} (a name or a path) if given, else the file named after the
     * model, else the nearest tuned model's (see the class comment); then {@code overrides}.
     *
     * @param model the model as the user named it (a folder, org/name[@revision] or a named model): its last path
     *     segment picks the file
     * @param hparams a file name or path, or null for the model's default
     */
    public static EditHyperparameters forModel(EditMethod method, String model, ModelConfig config, String hparams,
                                               List<HyperparameterOverride> overrides) {
        if (hparams != null) {
            return load(method, hparams, overrides);
        }
        String name = modelName(model);
        if (MODELS.contains(name)) {
            return load(method, name, overrides);
        }
        List<HyperparameterOverride> fitted = new ArrayList<>();
        String nearest = nearest(config);
        if (nearest.equals("lab-lm")) {
            fitted.add(earlyMiddleLayers(config.numLayers()));
        }
        fitted.addAll(overrides);
        return load(method, nearest, fitted);
    }

    /** {@code org/name@rev} and {@code /path/to/name} both name {@code name}. */
    static String modelName(String model) {
        String s = model.strip();
        int at = s.indexOf('@');
        s = at >= 0 ? s.substring(0, at) : s;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** The tuned model whose values fit a model without a file of its own. */
    static String nearest(ModelConfig config) {
        // Roughly 12 d^2 per layer plus the embedding.
        long estimate = 12L * config.hiddenSize() * config.hiddenSize() * config.numLayers()
                + (long) config.vocabSize() * config.hiddenSize();
        if (estimate < 50_000_000L) {
            return "lab-lm";
        }
        return config.architecture() == Architecture.GPT2 ? "gpt2-xl" : "llama3-8b";
    }

    /** Two early-middle layers (lab-lm's 1 and 2 of 6), or the first of a model under four layers. */
    private static HyperparameterOverride earlyMiddleLayers(int depth) {
        String layers = depth >= 4 ? "[" + depth / 4 + "," + (depth / 4 + 1) + "]" : "[0]";
        return HyperparameterOverride.parse("layers=" + layers);
    }
}
