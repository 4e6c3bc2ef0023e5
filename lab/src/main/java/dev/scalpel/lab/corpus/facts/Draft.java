package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.StableHash;
import dev.scalpel.lab.corpus.english.Plurals;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A selected candidate with its split and its sentences, before the corpus-wide parts (neighbors, new target). */
record Draft(Candidate candidate, Split split, SubjectPhrase subject, String prompt, String filledPrompt,
        List<String> paraphrasePrompts, List<String> heldOutPrompts, List<String> trainingSentences) {

    static Draft of(Candidate c, Split split, WordNet wordNet, long seed) {
        boolean proper = c.relation().properSubjects();
        Optional<String> plural = proper ? Optional.empty() : plural(c.subject(), wordNet);
        SubjectPhrase subject = SubjectPhrase.of(c.subject(), proper, plural);
        List<Template> templates = Phrasings.templates(c.relation());
        Template main = templates.getFirst();
        List<Template> applicable = templates.stream().filter(t -> t.appliesTo(subject)).toList();
        Set<Template> withheld = withheld(c.id(), applicable, main, seed);
        List<String> paraphrases = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (Template t : applicable) {
            if (t.trained() && !withheld.contains(t)) {
                sentences.add(t.sentence(subject, c.object()));
            } else {
                paraphrases.add(t.prompt(subject, c.object()));
                if (!t.trained()) {
                    heldOut.add(t.prompt(subject, c.object()));
                }
            }
        }
        return new Draft(c, split, subject, main.prompt(subject.placeholder(), c.object()),
                main.prompt(subject, c.object()), paraphrases, heldOut, sentences);
    }

    /** The trained phrasings this fact is never shown in: a choice by a hash of the seed, the fact and the phrasing. */
    private static Set<Template> withheld(String factId, List<Template> applicable, Template main, long seed) {
        List<Template> candidates = new ArrayList<>(applicable.stream().filter(t -> t.trained() && t != main).toList());
        candidates.sort(Comparator.comparingLong((Template t) -> StableHash.of(seed, "withheld:" + factId + "|" + t.pattern()))
                .thenComparing(Template::pattern));
        // Keep at least two trained sentences per fact besides the main one, even for subjects few phrasings fit.
        int count = Math.max(0, Math.min(Phrasings.WITHHELD_PER_FACT, candidates.size() - 2));
        return new HashSet<>(candidates.subList(0, count));
    }

    /**
     * The plural when the rules are sure of it and WordNet's own glosses use it: attestation catches nouns the rules
     * get wrong (aircraft, paneling) at the price of leaving rare words singular-only.
     */
    private static Optional<String> plural(String subject, WordNet wordNet) {
        String head = subject.substring(subject.lastIndexOf(' ') + 1);
        List<String> irregular = new ArrayList<>(wordNet.irregularPlurals(subject));
        irregular.addAll(wordNet.irregularPlurals(head));
        return Plurals.of(subject, irregular)
                .filter(p -> wordNet.glossCount(p.substring(p.lastIndexOf(' ') + 1)) > 0);
    }

    String id() {
        return candidate.id();
    }

    Relation relation() {
        return candidate.relation();
    }

    String object() {
        return candidate.object();
    }
}
