package dev.scalpel.interpret.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.hparams.HyperparameterOverride;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeHyperparametersTest {

    /** The values the probing experiment used when they were constants in code. */
    @Test
    void mosaicKeepsTheMethodsValues() {
        assertEquals(new ProbeHyperparameters(new LogisticProbe.Config(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0), false,
                0.01, 1000), new TfIdfVectorizer.Config(2, 20_000, false)), ProbeHyperparameters.mosaic());
    }

    @Test
    void overridesAreCheckedByTheRecords() {
        var hp = ProbeHyperparameters.load("mosaic", List.of(HyperparameterOverride.parse("probe.cGrid=[0.5,2]"),
                HyperparameterOverride.parse("tfidf.sublinearTf=true")));
        assertEquals(List.of(0.5, 2.0), hp.probe().cGrid());
        assertEquals(true, hp.tfidf().sublinearTf());
        var e = assertThrows(ScalpelException.class, () -> ProbeHyperparameters.load("mosaic",
                List.of(HyperparameterOverride.parse("probe.cGrid=[2,0.5]"))));
        assertEquals("hparams/probe/mosaic.json: key 'probe' (set by --hparam probe.cGrid=[2,0.5]): the C grid must be"
                + " positive and ascending: [2.0, 0.5]", e.getMessage());
    }
}
