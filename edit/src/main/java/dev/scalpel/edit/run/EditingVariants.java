package dev.scalpel.edit.run;

import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a run's methods differ from their papers or reference code, said from the run's own hyperparameters, so a
 * reader comparing our numbers with a paper's finds every difference named (docs/methods/knowledge-editing.md, "Scalpel's
 * variants", gives the reasons).
 */
final class EditingVariants {
    private EditingVariants() {
    }

    static List<String> of(List<SequentialEditRun.Results> runs) {
        Set<String> notes = new LinkedHashSet<>();
        for (var r : runs) {
            EditHyperparameters hp = r.config().hyperparameters();
            switch (hp.method()) {
                case MEMIT -> notes.add("memit: the earlier batches' keys enter the normal equations (lambda C0 + sum of "
                        + "K_s K_s^T + K K^T), as ENCORE's code runs its MEMIT baseline; the original MEMIT solves each batch "
                        + "against lambda C0 alone.");
                case ALPHAEDIT -> {
                    AlphaEditHyperparameters a = (AlphaEditHyperparameters) hp;
                    notes.add(a.nullspaceRelative()
                            ? String.format("alphaedit: the null space keeps C0's singular vectors below %s of its largest "
                                    + "singular value (a relative threshold); the paper's is an absolute 2e-2.",
                                    a.nullspaceThreshold())
                            : String.format("alphaedit: the null space keeps C0's singular vectors below an absolute %s, as "
                                    + "the paper does.", a.nullspaceThreshold()));
                }
                case ROME -> notes.add("rome: v* is the down projection's own output, bias included (before the "
                        + "post-feed-forward norm on Gemma 2), as the reference hooks the MLP module's output.");
                default -> { }
            }
            if (hp.value().mpesExtra() >= 0) {
                notes.add(r.method() + ": most-probable early stopping (+" + hp.value().mpesExtra() + ") counts an "
                        + "iteration when every target token is the top-1 in all rewrite prompts, the clean prompt "
                        + "included, as the paper says; the reference code leaves the clean prompt out.");
            }
        }
        return new ArrayList<>(notes);
    }
}
