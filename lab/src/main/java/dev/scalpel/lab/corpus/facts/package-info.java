/**
 * Facts from WordNet 3.1's noun relations, written as plain English sentences in several phrasings each, for teaching
 * small models facts they can then be edited on (ROME, MEMIT, AlphaEdit, ENCORE).
 *
 * <p>Relations: {@code kind_of} (hypernym: "A poodle is a kind of dog."), {@code instance_of} (instance hypernym of
 * people and places: "Paris is a national capital."), {@code part_of} (part holonym: "An arm is part of the body."),
 * {@code member_of} (member holonym: "A ship is a member of the fleet."), {@code located_in} (part holonym between
 * places: "London is located in England."). Subjects are common words (ranked by WordNet's tag counts and by how often
 * glosses use them) taken in their most frequent sense; each subject has one object per relation; each object has
 * several subjects, which give every fact neighborhood prompts (other subjects with the same object).
 *
 * <p>Exports match the published CounterFact ({@code counterfact.json} of kmeng01/rome and memit) and zsRE
 * ({@code zsre_mend_eval.json}) field names and nesting exactly, so one reader serves lab facts and the published sets.
 */
package dev.scalpel.lab.corpus.facts;
