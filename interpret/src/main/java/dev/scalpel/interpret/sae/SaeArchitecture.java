package dev.scalpel.interpret.sae;

import java.util.Locale;

/** The encoder nonlinearities Scalpel runs, by their SAELens names. */
public enum SaeArchitecture {
    /** ReLU + L1 ("standard" in SAELens): f = ReLU(W_enc (x - b_dec?) + b_enc). */
    STANDARD,
    /** TopK: keep the k largest pre-activations (after ReLU), zero the rest. */
    TOPK,
    /** JumpReLU (Gemma Scope): f = pre * 1[pre > threshold]. */
    JUMPRELU;

    /** The name SAELens writes in cfg.json. */
    public String saeLensName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a SAELens architecture name; an error lists the known ones. */
    public static SaeArchitecture fromSaeLens(String name) {
        for (SaeArchitecture a : values()) {
            if (a.saeLensName().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown SAE architecture '" + name + "' (known: standard, topk, jumprelu;"
                + " gated SAEs are not supported)");
    }
}
