package dev.scalpel.lab.corpus.facts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import java.util.List;

/**
 * One fact and everything needed to train on it and to edit it; the facts jsonl files hold these records.
 *
 * @param id                  "kind_of:poodle"
 * @param subject             "poodle"
 * @param relation            the relation ("kind_of" in JSON)
 * @param relationId          the Wikidata-style id CounterFact uses ("P279")
 * @param object              "dog"
 * @param prompt              the main cloze prompt with "{}" for the subject: "A {} is a kind of"
 * @param target              the object as it follows the prompt, with its leading space: " dog"
 * @param targetNew           a plausible false object of the same relation for editing: "cat"
 * @param paraphrasePrompts   filled prompts in every phrasing never trained with this fact: those withheld from it
 *                            (trained on other facts) and those held out of training entirely
 * @param heldOutPrompts      the paraphrase prompts whose phrasing no fact is trained in
 * @param neighborhoodPrompts main prompts of other training facts with the same object, never naming this subject
 * @param trainingSentences   the sentences training shows: the main phrasing first, then the other trained ones
 * @param question            the fact as a question ("What is a poodle a kind of?")
 * @param subjectSynset       WordNet 3.1 synset of the subject
 * @param objectSynset        WordNet 3.1 synset of the object
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"id", "subject", "relation", "relationId", "object", "prompt", "target", "targetNew",
        "paraphrasePrompts", "heldOutPrompts",
        "neighborhoodPrompts", "trainingSentences", "question", "subjectSynset", "objectSynset"})
public record Fact(String id, String subject, Relation relation, String relationId, String object, String prompt,
        String target, String targetNew, List<String> paraphrasePrompts, List<String> heldOutPrompts,
        List<String> neighborhoodPrompts,
        List<String> trainingSentences, String question, SynsetId subjectSynset, SynsetId objectSynset) {

    public Fact {
        paraphrasePrompts = List.copyOf(paraphrasePrompts);
        heldOutPrompts = List.copyOf(heldOutPrompts);
        neighborhoodPrompts = List.copyOf(neighborhoodPrompts);
        trainingSentences = List.copyOf(trainingSentences);
        if (!prompt.contains("{}")) {
            throw new IllegalArgumentException("fact " + id + ": prompt '" + prompt + "' has no {} for the subject");
        }
        if (!target.equals(" " + object)) {
            throw new IllegalArgumentException("fact " + id + ": target '" + target + "' is not ' ' + object");
        }
    }

    /** The main prompt with the subject filled in: "A poodle is a kind of". */
    public String filledPrompt() {
        return prompt.replace("{}", subject);
    }
}
