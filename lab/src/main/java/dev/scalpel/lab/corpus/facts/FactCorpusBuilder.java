package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.Shuffle;
import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.SplitAssigner;
import dev.scalpel.lab.corpus.Splits;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the fact corpus: candidates per relation, selection, split by subject synset, sentences, then the parts that
 * depend on the whole corpus (neighborhood prompts, counterfactual targets), and the CounterFact and zsRE exports.
 * Which facts are selected does not depend on the seed; their splits, order, neighbors and new targets do.
 */
public final class FactCorpusBuilder {
    private FactCorpusBuilder() {}

    public static FactCorpus build(WordNet wordNet, long seed, Profile profile) {
        SplitAssigner assigner = SplitAssigner.of(seed, profile);
        List<Draft> drafts = new ArrayList<>();
        for (Relation relation : Relation.values()) {
            for (Candidate c : FactSelection.select(FactCandidates.of(wordNet).get(relation), profile)) {
                drafts.add(Draft.of(c, assigner.assign(c.subjectSynset().toString()), wordNet, seed));
            }
        }
        Completion.Result completed = Completion.complete(drafts, wordNet, seed, profile.minSubjectsPerObject());

        Map<Split, List<Fact>> bySplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            bySplit.put(s, new ArrayList<>());
        }
        Map<String, Draft> draftById = new HashMap<>();
        for (Draft d : completed.drafts()) {
            draftById.put(d.id(), d);
            bySplit.get(d.split()).add(fact(d, completed.targets().get(d.id()).object(), completed.neighbors().get(d.id())));
        }
        Splits<Fact> facts = new Splits<>(
                Shuffle.shuffled(bySplit.get(Split.TRAIN), seed, "fact-order:train"),
                Shuffle.shuffled(bySplit.get(Split.VALIDATION), seed, "fact-order:validation"),
                Shuffle.shuffled(bySplit.get(Split.TEST), seed, "fact-order:test"));

        List<CounterFactRecord> counterFact = new ArrayList<>();
        List<ZsreRecord> zsre = new ArrayList<>();
        for (Fact f : facts.train()) {
            Draft d = draftById.get(f.id());
            counterFact.add(FactExports.counterFact(counterFact.size(), f, completed.targets().get(f.id()).synset().toString(),
                    CounterfactualTargets.attributePrompts(completed.neighborhoods(), d, f.targetNew()),
                    Phrasings.generationPrompts(d.subject())));
            zsre.add(FactExports.zsre(f, Phrasings.rephrase(f.relation(), d.subject()), facts.train(), seed));
        }
        return new FactCorpus(facts, counterFact, zsre);
    }

    private static Fact fact(Draft d, String targetNew, List<String> neighborhood) {
        Candidate c = d.candidate();
        return new Fact(c.id(), c.subject(), c.relation(), c.relation().id(), c.object(), d.prompt(), " " + c.object(),
                targetNew, d.paraphrasePrompts(), d.heldOutPrompts(), neighborhood, d.trainingSentences(),
                Phrasings.question(c.relation(), d.subject()), c.subjectSynset(), c.objectSynset());
    }
}
