package dev.scalpel.lab.corpus.facts;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.scalpel.lab.corpus.wordnet.Link;
import java.util.EnumSet;
import java.util.Set;

/**
 * The relations facts are made of. {@link #id()} is the closest Wikidata property, the kind of id CounterFact's
 * {@code relation_id} holds (P279 subclass of, P31 instance of, P361 part of, P463 member of, P131 located in the
 * administrative territorial entity), so per-relation code written for CounterFact applies unchanged.
 */
public enum Relation {
    KIND_OF("kind_of", "P279", Link.HYPERNYM, false),
    INSTANCE_OF("instance_of", "P31", Link.INSTANCE_HYPERNYM, true),
    PART_OF("part_of", "P361", Link.PART_HOLONYM, false),
    MEMBER_OF("member_of", "P463", Link.MEMBER_HOLONYM, false),
    LOCATED_IN("located_in", "P131", Link.PART_HOLONYM, true);

    private final String key;
    private final String id;
    private final Link link;
    private final boolean properSubjects;

    Relation(String key, String id, Link link, boolean properSubjects) {
        this.key = key;
        this.id = id;
        this.link = link;
        this.properSubjects = properSubjects;
    }

    /** The name used in fact ids and records ("kind_of"). */
    @JsonValue
    public String key() {
        return key;
    }

    /** The Wikidata-style relation id written to CounterFact's {@code relation_id}. */
    public String id() {
        return id;
    }

    /** The WordNet link from subject to object. */
    public Link link() {
        return link;
    }

    /** Whether subjects are names of people and places rather than common nouns. */
    public boolean properSubjects() {
        return properSubjects;
    }

    /**
     * Links along which other objects are also true for a subject: a poodle is also a kind of canine and of animal, a
     * kitchen (a room) is also part of a building. Counterfactual targets must avoid all of them.
     */
    public Set<Link> truthLinks() {
        return switch (this) {
            case KIND_OF, INSTANCE_OF -> EnumSet.of(Link.HYPERNYM, Link.INSTANCE_HYPERNYM);
            case PART_OF, LOCATED_IN -> EnumSet.of(Link.HYPERNYM, Link.INSTANCE_HYPERNYM, Link.PART_HOLONYM);
            case MEMBER_OF -> EnumSet.of(Link.HYPERNYM, Link.INSTANCE_HYPERNYM, Link.MEMBER_HOLONYM);
        };
    }

    public static Relation ofKey(String key) {
        for (Relation r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no relation named '" + key + "'");
    }
}
