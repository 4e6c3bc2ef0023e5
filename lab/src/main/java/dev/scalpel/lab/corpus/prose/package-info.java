/**
 * Real English prose for the lab's language models: 233 State of the Union addresses (1790-2021) and Moby-Dick, split
 * by document into train, validation and test, and cut into passages of whole sentences for the training mix. The
 * WordNet glosses of the text corpus are definitions; this is what held-out perplexity is measured on.
 */
package dev.scalpel.lab.corpus.prose;
