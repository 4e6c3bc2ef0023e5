/**
 * English text from WordNet 3.1: for every synset one document made of a definition sentence built from the lemma and
 * the gloss ("A poodle is an intelligent dog with a heavy curly solid-colored coat that is usually clipped; an old
 * breed sometimes trained as sporting dogs or as performing dogs.") followed by the gloss's usage examples as written
 * ("The dog barked all night."). Split by synset, never by sentence, so no synset's text is on both sides of a split.
 */
package dev.scalpel.lab.corpus.text;
