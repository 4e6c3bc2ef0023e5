package dev.scalpel.edit.encore;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import java.util.ArrayList;
import java.util.List;

/**
 * ENCORE's parts taken one at a time, so that a report can say which part does what. ENCORE is MEMIT's update plus
 * most-probable early stopping (MPES) plus the norm term lambda_n I; {@code memit+mpes} is MEMIT's closed form with
 * ENCORE's early stopping, {@code memit+norm} ENCORE's closed form with MEMIT's value optimization (no early stopping).
 * Both are derived from the MEMIT and ENCORE files of one model, which must agree in everything else (edited layers,
 * lambda_p, C0 tokens, the rest of the value optimization): each ablation then differs from MEMIT in one part only.
 */
public final class EncoreAblations {
    public static final String MEMIT_MPES = dev.scalpel.edit.memit.Memit.WITH_EARLY_STOPPING;
    public static final String MEMIT_NORM = "memit+norm";
    public static final List<String> NAMES = List.of(MEMIT_MPES, MEMIT_NORM);

    private EncoreAblations() {
    }

    public static boolean isAblation(String name) {
        return NAMES.contains(name);
    }

    /**
     * The ablation {@code name} from MEMIT's and ENCORE's hyperparameters for one model.
     *
     * @param source where the two came from, for the error when they differ in more than ENCORE's two parts
     */
    public static EditHyperparameters of(String name, MemitHyperparameters memit, EncoreHyperparameters encore,
                                         String source) {
        List<String> differences = new ArrayList<>();
        if (!memit.layers().equals(encore.layers())) {
            differences.add("layers " + memit.layers() + " vs " + encore.layers());
        }
        if (memit.covarianceWeight() != encore.covarianceWeight()) {
            differences.add("covarianceWeight " + memit.covarianceWeight() + " vs " + encore.covarianceWeight());
        }
        if (memit.c0Tokens() != encore.c0Tokens()) {
            differences.add("c0Tokens " + memit.c0Tokens() + " vs " + encore.c0Tokens());
        }
        if (!memit.value().withMpes(-1).equals(encore.value().withMpes(-1))) {
            differences.add("value " + memit.value().withMpes(-1) + " vs " + encore.value().withMpes(-1));
        }
        if (!differences.isEmpty()) {
            throw new ScalpelException(source + ": the MEMIT and ENCORE hyperparameters differ in more than early stopping"
                    + " and the norm term (" + String.join("; ", differences) + "), so " + name + " would not isolate one"
                    + " of ENCORE's parts");
        }
        return switch (name) {
            case MEMIT_MPES -> new MemitHyperparameters(memit.layers(), memit.value().withMpes(encore.value().mpesExtra()),
                    memit.covarianceWeight(), memit.c0Tokens());
            case MEMIT_NORM -> new EncoreHyperparameters(memit.layers(), memit.value().withMpes(-1),
                    memit.covarianceWeight(), encore.normWeight(), memit.c0Tokens());
            default -> throw new IllegalArgumentException("not an ablation of ENCORE: " + name + " (known: " + NAMES + ")");
        };
    }
}
