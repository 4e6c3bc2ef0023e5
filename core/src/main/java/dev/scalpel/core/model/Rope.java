package dev.scalpel.core.model;

import java.util.Optional;

/**
 * Rotary position embedding parameters, read from either form Hugging Face writes: transformers 5's
 * {@code rope_parameters} object, or the legacy {@code rope_theta} + {@code rope_scaling} pair that most hub checkpoints
 * still carry. {@link #inverseFrequencies(int)} reproduces transformers' {@code inv_freq} for each supported type.
 *
 * @param type "default", "linear" or "llama3"
 * @param theta the base (rope_theta)
 * @param factor the scaling factor (linear and llama3)
 * @param lowFreqFactor llama3's low_freq_factor
 * @param highFreqFactor llama3's high_freq_factor
 * @param originalMaxPositions llama3's original_max_position_embeddings
 */
public record Rope(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                   int originalMaxPositions) {

    /** Reads the rope settings of {@code config}, with {@code defaultTheta} when the file names none. */
    public static Rope from(HfConfig config, double defaultTheta) {
        Optional<HfConfig> params = config.object("rope_parameters");
        HfConfig scaling;
        double theta;
        if (params.isPresent()) {
            scaling = params.get();
            theta = scaling.doubleOr("rope_theta", config.doubleOr("rope_theta", defaultTheta));
        } else {
            theta = config.doubleOr("rope_theta", defaultTheta);
            Optional<HfConfig> legacy = config.object("rope_scaling");
            if (legacy.isEmpty()) {
                return new Rope("default", theta, 1.0, 0, 0, 0);
            }
            scaling = legacy.get();
        }
        String type = scaling.has("rope_type") ? scaling.requireString("rope_type") : scaling.stringOr("type", "default");
        return switch (type) {
            case "default" -> new Rope("default", theta, 1.0, 0, 0, 0);
            case "linear" -> new Rope("linear", theta, scaling.requireDouble("factor"), 0, 0, 0);
            case "llama3" -> new Rope("llama3", theta, scaling.requireDouble("factor"),
                    scaling.requireDouble("low_freq_factor"), scaling.requireDouble("high_freq_factor"),
                    scaling.requireInt("original_max_position_embeddings"));
            default -> throw new ConfigException(config.file(), "unsupported rope_type '" + type
                    + "' (supported: default, linear, llama3)");
        };
    }

    /**
     * The inverse frequencies for a rotary dimension {@code dim}: {@code 1 / theta^(2i/dim)}, then the type's scaling.
     * Computed in float32 as transformers does, so positions rotate by the same angles.
     */
    public float[] inverseFrequencies(int dim) {
        int half = dim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) dim;
            inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
        }
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < half; i++) {
                    inv[i] = (float) (inv[i] / factor);
                }
            }
            case "llama3" -> applyLlama3(inv);
            default -> { }
        }
        return inv;
    }

    // Llama 3.1: long wavelengths are divided by factor, short ones kept, and the band between is interpolated.
    private void applyLlama3(float[] inv) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            float freq = inv[i];
            float wavelen = (float) (2 * Math.PI / freq);
            float scaled = wavelen > lowFreqWavelen ? (float) (freq / factor) : freq;
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = (float) ((originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
                scaled = (float) ((1 - smooth) * scaled / factor + smooth * scaled);
            }
            inv[i] = scaled;
        }
    }
}
