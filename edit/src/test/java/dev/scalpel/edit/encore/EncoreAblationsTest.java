package dev.scalpel.edit.encore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditHyperparameterFiles;
import dev.scalpel.edit.EditMethod;
import dev.scalpel.edit.memit.MemitHyperparameters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ENCORE's ablations each take one of its parts onto MEMIT, and refuse files that differ in anything else. */
class EncoreAblationsTest {

    private static MemitHyperparameters memit() {
        return (MemitHyperparameters) EditHyperparameterFiles.load(EditMethod.MEMIT, "lab-lm", List.of());
    }

    private static EncoreHyperparameters encore() {
        return (EncoreHyperparameters) EditHyperparameterFiles.load(EditMethod.ENCORE, "lab-lm", List.of());
    }

    @Test
    void eachAblationIsMemitWithOneOfEncoresParts() {
        var mpes = (MemitHyperparameters) EncoreAblations.of("memit+mpes", memit(), encore(), "lab-lm");
        assertEquals(memit().value().withMpes(encore().value().mpesExtra()), mpes.value());
        assertEquals(memit().covarianceWeight(), mpes.covarianceWeight());
        assertEquals("memit+mpes", mpes.editor(null).name());

        var norm = (EncoreHyperparameters) EncoreAblations.of("memit+norm", memit(), encore(), "lab-lm");
        assertEquals(memit().value(), norm.value());
        assertEquals(-1, norm.value().mpesExtra());
        assertEquals(encore().normWeight(), norm.normWeight());
        assertEquals("memit+norm", norm.editor(null).name());
        // Both parts together are ENCORE itself, named so; MEMIT's own file names MEMIT.
        assertEquals("encore", encore().editor(null).name());
        assertEquals("memit", memit().editor(null).name());
    }

    @Test
    void filesThatDifferInMoreThanEncoresPartsAreRefused() {
        var other = new MemitHyperparameters(List.of(1), memit().value(), 50, memit().c0Tokens());
        var e = assertThrows(ScalpelException.class, () -> EncoreAblations.of("memit+norm", other, encore(), "the files"));
        assertEquals("the files: the MEMIT and ENCORE hyperparameters differ in more than early stopping and the norm term "
                + "(layers [1] vs [1, 2]; covarianceWeight 50.0 vs 100.0), so memit+norm would not isolate one of "
                + "ENCORE's parts", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EncoreAblations.of("encore", memit(), encore(), "lab-lm"));
    }
}
