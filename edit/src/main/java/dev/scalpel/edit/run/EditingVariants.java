package dev.scalpel.edit.run;

import dev.scalpel.edit.EditHyperparameters;
import dev.scalpel.edit.LocateThenEditHyperparameters;
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
                case FT -> notes.add("ft: PROMPT_LAST scores every target token at the prompt's last position, as the ROME"
                        + " paper's FT-L code does; the EasyEdit version read for this ignores objective_optimization for decoder"
                        + " models and always trains the teacher-forced target loss (Scalpel's TARGET_NEW). EasyEdit's weight_decay"
                        + " is not offered: every shipped EasyEdit FT config sets it to 0.");
                case LORA -> notes.add("lora: plain LoRA on the edited layers' down projections, without dropout, a fresh"
                        + " adapter per batch merged after it, so that the norm diagnostics (which follow the edit site) see"
                        + " the adapted matrices; EasyEdit's LoRA is AdaLoRA on q_proj and v_proj (c_attn on GPT-2) of every"
                        + " layer with dropout 0.1, and it appends <|endoftext|> to the target.");
                default -> { }
            }
            preservation(r, hp).ifPresent(notes::add);
            if (hp instanceof LocateThenEditHyperparameters located && located.value().mpesExtra() >= 0) {
                notes.add(r.method() + ": most-probable early stopping (+" + located.value().mpesExtra() + ") counts an "
                        + "iteration when every target token is the top-1 in all rewrite prompts, the clean prompt "
                        + "included, as the paper says; the reference code leaves the clean prompt out.");
            }
        }
        return new ArrayList<>(notes);
    }

    /** The papers' preservation strengths d_ff / lambda: GPT2-XL (6,400 / 20,000) and Llama-3-8B (14,336 / 15,000). */
    static final double GPT2_XL = 6400.0 / 20000;
    static final double LLAMA3_8B = 14336.0 / 15000;

    /**
     * lambda in a scale-free form. C0 is the keys' own second moment, so rescaling the keys leaves the update unchanged;
     * what sets how strongly C0's keys are preserved against the edits is lambda against d_ff. Said for the methods
     * with a lambda, when the run recorded d_ff.
     */
    static java.util.Optional<String> preservation(SequentialEditRun.Results r, EditHyperparameters hp) {
        double lambda = switch (hp) {
            case dev.scalpel.edit.memit.MemitHyperparameters m -> m.covarianceWeight();
            case dev.scalpel.edit.encore.EncoreHyperparameters e -> e.covarianceWeight();
            default -> Double.NaN;
        };
        String dff = r.provenance().details().get(SequentialEditRun.INTERMEDIATE_SIZE);
        if (Double.isNaN(lambda) || dff == null) {
            return java.util.Optional.empty();
        }
        double ratio = Double.parseDouble(dff) / lambda;
        return java.util.Optional.of(String.format(java.util.Locale.ROOT, "%s: preservation strength d_ff / lambda = %,d / "
                        + "%s = %.2f; the papers run at %.2f (GPT2-XL) and %.2f (Llama-3-8B), so C0's keys are held "
                        + "%.1f-%.1fx more weakly here.", r.method(), Integer.parseInt(dff), lambda, ratio, GPT2_XL,
                LLAMA3_8B, ratio / LLAMA3_8B, ratio / GPT2_XL));
    }
}
