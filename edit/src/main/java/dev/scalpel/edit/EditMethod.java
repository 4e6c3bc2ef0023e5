package dev.scalpel.edit;

import dev.scalpel.edit.alphaedit.AlphaEdit;
import dev.scalpel.edit.encore.Encore;
import dev.scalpel.edit.memit.Memit;
import dev.scalpel.edit.rome.Rome;
import java.util.Locale;

/** The editing methods, by the names the command line uses. */
public enum EditMethod {
    ROME, MEMIT, ALPHAEDIT, ENCORE;

    public static EditMethod parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown editing method '" + name + "' (rome, memit, alphaedit, encore)");
        }
    }

    /** A fresh editor (state for one sequential run). */
    public Editor create(EditContext context, EditHyperparameters hp) {
        return switch (this) {
            case ROME -> new Rome(context, hp);
            case MEMIT -> new Memit(context, hp);
            case ALPHAEDIT -> new AlphaEdit(context, hp);
            case ENCORE -> new Encore(context, hp);
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
