package dev.scalpel.edit;

import dev.scalpel.edit.alphaedit.AlphaEditHyperparameters;
import dev.scalpel.edit.encore.EncoreHyperparameters;
import dev.scalpel.edit.ft.FineTuneHyperparameters;
import dev.scalpel.edit.lora.LoraHyperparameters;
import dev.scalpel.edit.memit.MemitHyperparameters;
import dev.scalpel.edit.rome.RomeHyperparameters;
import java.util.Locale;

/** The editing methods, by the names the command line and the hparams folders use. */
public enum EditMethod {
    ROME(RomeHyperparameters.class),
    MEMIT(MemitHyperparameters.class),
    ALPHAEDIT(AlphaEditHyperparameters.class),
    ENCORE(EncoreHyperparameters.class),
    /** Fine-tuning the down projections (EasyEdit's FT: FT-L with a norm bound, or FT-M). */
    FT(FineTuneHyperparameters.class),
    /** A LoRA adapter on the down projections per batch, merged after it (EasyEdit's LoRA). */
    LORA(LoraHyperparameters.class);

    private final Class<? extends EditHyperparameters> hyperparameters;

    EditMethod(Class<? extends EditHyperparameters> hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    public static EditMethod parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown editing method '" + name + "' (" + java.util.Arrays.stream(values())
                    .map(EditMethod::cliName).collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
    }

    /** The record its {@code hparams/{method}/*.json} files bind to. */
    public Class<? extends EditHyperparameters> hyperparametersType() {
        return hyperparameters;
    }

    /** The name on the command line and of the hparams folder ({@code hparams/alphaedit/}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
