package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Splits;
import java.util.List;

/**
 * The facts, split by subject synset (the same assignment as the text corpus, so a held-out fact's subject has no
 * gloss in training either), with the CounterFact and zsRE views of the training facts: the facts a trained model
 * knows and an editor can change.
 */
public record FactCorpus(Splits<Fact> facts, List<CounterFactRecord> counterFact, List<ZsreRecord> zsre) {
    public FactCorpus {
        counterFact = List.copyOf(counterFact);
        zsre = List.copyOf(zsre);
    }
}
