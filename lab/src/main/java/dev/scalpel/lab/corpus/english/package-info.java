/**
 * The few rules of English the generated sentences need: "a" or "an", regular plurals (irregular ones come from
 * WordNet's exception list, and nouns whose plural is uncertain get none), capitalization and closing punctuation.
 * Deliberately small: a wrong plural in thousands of training sentences teaches a model wrong English, so when a rule
 * is unsure it declines rather than guesses.
 */
package dev.scalpel.lab.corpus.english;
