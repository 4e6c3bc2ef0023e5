package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.english.Plurals;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A selected candidate with its split and its sentences, before the corpus-wide parts (neighbors, new target). */
record Draft(Candidate candidate, Split split, SubjectPhrase subject, String prompt, String filledPrompt,
        List<String> paraphrasePrompts, List<String> trainingSentences) {

    static Draft of(Candidate c, Split split, WordNet wordNet) {
        boolean proper = c.relation().properSubjects();
        Optional<String> plural = proper ? Optional.empty() : plural(c.subject(), wordNet);
        SubjectPhrase subject = SubjectPhrase.of(c.subject(), proper, plural);
        List<Template> templates = Phrasings.templates(c.relation());
        Template main = templates.getFirst();
        List<String> paraphrases = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (Template t : templates) {
            if (!t.appliesTo(subject)) {
                continue;
            }
            if (t != main) {
                paraphrases.add(t.prompt(subject, c.object()));
            }
            if (t.trained()) {
                sentences.add(t.sentence(subject, c.object()));
            }
        }
        return new Draft(c, split, subject, main.prompt(subject.placeholder(), c.object()),
                main.prompt(subject, c.object()), paraphrases, sentences);
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
