package dev.scalpel.interpret.sae;

/**
 * Where an SAE belongs: the model and hook it was trained on, and how its training activations were made.
 *
 * @param modelName the model (Hugging Face name or folder name)
 * @param hookName the TransformerLens hook point, e.g. {@code blocks.3.hook_resid_post}
 * @param contextSize tokens per training sequence (0 if unknown)
 * @param prependBos whether training sequences began with BOS
 * @param excludeBos whether BOS positions were left out of the training activations (Gemma Scope: yes)
 */
public record SaeMetadata(String modelName, String hookName, int contextSize, boolean prependBos, boolean excludeBos) {

    public static SaeMetadata unknown() {
        return new SaeMetadata("", "", 0, true, true);
    }
}
