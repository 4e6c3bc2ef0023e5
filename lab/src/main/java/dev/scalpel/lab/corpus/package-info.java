/**
 * The lab's corpora, built offline and deterministically from a seed: English text and facts from WordNet 3.1, and
 * arithmetic word problems with worked solutions. Each has train, validation and test splits and a datasheet (source,
 * license, how it was made, counts, SHA-256 content hash). Sized ({@link dev.scalpel.lab.corpus.Profile#DEFAULT}) for
 * small language models (a few million parameters, a byte-level BPE vocabulary of about 4,096) trained for minutes on
 * a CPU: about 2.4 million tokens of text, a few thousand facts in several phrasings, and 20,000 training problems.
 *
 * <p>Use: {@code LabCorpus corpus = LabCorpus.build(seed, Profile.DEFAULT); corpus.writeTo(folder);} and
 * {@code new TrainingMix(corpus, new MixWeights(text, facts, arithmetic, prose), seed)} for an endless stream of training
 * documents. Document and prompt formats are defined once, in {@link dev.scalpel.lab.corpus.DocumentFormats}:
 * <ul>
 *   <li>text document: the text ("A poodle is an intelligent dog ... The dog barked all night.");</li>
 *   <li>fact document: {@value dev.scalpel.lab.corpus.TrainingMix#FACT_SENTENCES_PER_DOCUMENT} training sentences of
 *       different facts joined by single spaces; recall prompt "A poodle is a kind of", target " dog";</li>
 *   <li>arithmetic document: {@code "Question: " + question + "\nAnswer: " + solution}, the solution ending
 *       "The answer is N."; evaluation prompt {@code "Question: " + question + "\nAnswer:"}.</li>
 * </ul>
 *
 * <p>Every seeded decision goes through {@link dev.scalpel.lab.corpus.StableHash} or {@link java.util.Random}'s
 * specified algorithm, so a seed gives the same bytes on every JVM and platform.
 */
package dev.scalpel.lab.corpus;
