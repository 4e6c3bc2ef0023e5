package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.wordnet.SynsetId;

/**
 * A possible fact before selection: subject and object as words and as synsets, and how common the subject is
 * ({@code score}: log(1 + gloss frequency of its rarest word) + 2 log(1 + tag count)).
 */
public record Candidate(Relation relation, SynsetId subjectSynset, String subject, SynsetId objectSynset, String object,
        double score) {

    /** Stable id, unique because each relation has one fact per subject: "kind_of:poodle". */
    public String id() {
        return relation.key() + ":" + subject;
    }
}
