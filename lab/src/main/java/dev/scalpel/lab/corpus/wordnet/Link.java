package dev.scalpel.lab.corpus.wordnet;

/**
 * The noun-to-noun WordNet relations the lab's facts are made from, pointing from the subject to the object:
 * a poodle's HYPERNYM is dog, Paris's INSTANCE_HYPERNYM is national capital, a wheel's PART_HOLONYM is wheeled
 * vehicle, a ship's MEMBER_HOLONYM is fleet.
 */
public enum Link {
    HYPERNYM,
    INSTANCE_HYPERNYM,
    PART_HOLONYM,
    MEMBER_HOLONYM
}
