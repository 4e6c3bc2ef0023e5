package dev.scalpel.lab.corpus;

import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpus;
import dev.scalpel.lab.corpus.arithmetic.ArithmeticRecord;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.prose.ProseCorpus;
import dev.scalpel.lab.corpus.prose.ProseDocument;
import dev.scalpel.lab.corpus.facts.FactCorpus;
import dev.scalpel.lab.corpus.facts.Relation;
import dev.scalpel.lab.corpus.text.TextCorpus;
import dev.scalpel.lab.corpus.text.TextDocument;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Writes a {@link LabCorpus} to a folder: one subfolder per corpus with its data files and datasheets. */
final class CorpusWriter {
    /** The jsonl record of the text corpus. */
    record TextRecord(String text) {}

    /** The jsonl record of the prose corpus: which document a passage comes from, where, and its text. */
    record PassageRecord(String document, int index, String text) {}

    /** documents.json: the prose document ids of each split. */
    record DocumentIds(List<String> train, List<String> validation, List<String> test) {}

    private final LabCorpus corpus;

    CorpusWriter(LabCorpus corpus) {
        this.corpus = corpus;
    }

    List<Datasheet> writeTo(Path folder) {
        return List.of(text(folder.resolve("text")), facts(folder.resolve("facts")),
                arithmetic(folder.resolve("arithmetic")), prose(folder.resolve("prose")));
    }

    private Datasheet text(Path folder) {
        TextCorpus text = corpus.text();
        CorpusFiles files = new CorpusFiles(folder);
        Map<String, Number> counts = new LinkedHashMap<>();
        writeSplits(files, counts, text.documents(), d -> new TextRecord(d.text()));
        for (Split split : Split.values()) {
            long characters = TextCorpus.characters(text.documents().get(split));
            counts.put(split.fileName() + ".characters", characters);
            counts.put(split.fileName() + ".approx_tokens", characters / 4);
        }
        return finish(files, "text", DatasheetTexts.TEXT_TITLE, DatasheetTexts.TEXT_SOURCE, wordNetLicense(),
                DatasheetTexts.TEXT_HOW, DatasheetTexts.TEXT_FORMATS, counts);
    }

    private Datasheet facts(Path folder) {
        FactCorpus facts = corpus.facts();
        CorpusFiles files = new CorpusFiles(folder);
        Map<String, Number> counts = new LinkedHashMap<>();
        writeSplits(files, counts, facts.facts(), Function.identity());
        files.json("counterfact.json", facts.counterFact());
        files.json("zsre.json", facts.zsre());
        counts.put("counterfact.records", facts.counterFact().size());
        counts.put("zsre.records", facts.zsre().size());
        counts.put("train.training_sentences", facts.facts().train().stream().mapToLong(f -> f.trainingSentences().size()).sum());
        List<Fact> all = facts.facts().all();
        for (Relation relation : Relation.values()) {
            List<Fact> ofRelation = all.stream().filter(f -> f.relation() == relation).toList();
            Map<String, Long> byObject = ofRelation.stream().collect(Collectors.groupingBy(Fact::object, Collectors.counting()));
            long majority = byObject.values().stream().mapToLong(Long::longValue).max().orElse(0);
            counts.put(relation.key() + ".facts", ofRelation.size());
            counts.put(relation.key() + ".objects", byObject.size());
            // Recall a model would score by always answering the most common object: the floor for real recall.
            counts.put(relation.key() + ".majority_object_share",
                    ofRelation.isEmpty() ? 0.0 : Math.round(1000.0 * majority / ofRelation.size()) / 1000.0);
        }
        return finish(files, "facts", DatasheetTexts.FACTS_TITLE, DatasheetTexts.FACTS_SOURCE, wordNetLicense(),
                DatasheetTexts.FACTS_HOW, DatasheetTexts.FACTS_FORMATS, counts);
    }

    private Datasheet arithmetic(Path folder) {
        ArithmeticCorpus arithmetic = corpus.arithmetic();
        CorpusFiles files = new CorpusFiles(folder);
        Map<String, Number> counts = new LinkedHashMap<>();
        writeSplits(files, counts, arithmetic.problems(), WordProblem::record);
        for (Split split : Split.values()) {
            Map<Integer, Long> byLevel = arithmetic.problems().get(split).stream()
                    .collect(Collectors.groupingBy(WordProblem::level, TreeMap::new, Collectors.counting()));
            byLevel.forEach((level, n) -> counts.put(split.fileName() + ".level" + level, n));
        }
        counts.put("held_out_combinations", arithmetic.heldOutCombinations().size());
        return finish(files, "arithmetic", DatasheetTexts.ARITHMETIC_TITLE, DatasheetTexts.ARITHMETIC_SOURCE,
                DatasheetTexts.ARITHMETIC_LICENSE, DatasheetTexts.ARITHMETIC_HOW, DatasheetTexts.ARITHMETIC_FORMATS,
                counts);
    }

    private Datasheet prose(Path folder) {
        ProseCorpus prose = corpus.prose();
        CorpusFiles files = new CorpusFiles(folder);
        Map<String, Number> counts = new LinkedHashMap<>();
        writeSplits(files, counts, prose.passages(), p -> new PassageRecord(p.documentId(), p.index(), p.text()));
        for (Split split : Split.values()) {
            List<ProseDocument> docs = prose.documents().get(split);
            counts.put(split.fileName() + ".documents", docs.size());
            counts.put(split.fileName() + ".sotu_documents", docs.stream().filter(d -> d.work().equals("sotu")).count());
            counts.put(split.fileName() + ".moby_dick_documents", docs.stream().filter(d -> d.work().equals("moby-dick")).count());
            counts.put(split.fileName() + ".words", ProseCorpus.words(prose.passages().get(split)));
        }
        files.json("documents.json", new DocumentIds(ids(prose.documents().train()), ids(prose.documents().validation()),
                ids(prose.documents().test())));
        return finish(files, "prose", DatasheetTexts.PROSE_TITLE, DatasheetTexts.PROSE_SOURCE, corpus.proseLicense(),
                DatasheetTexts.PROSE_HOW, DatasheetTexts.PROSE_FORMATS, counts);
    }

    private static List<String> ids(List<ProseDocument> docs) {
        return docs.stream().map(ProseDocument::id).toList();
    }

    private static <T> void writeSplits(CorpusFiles files, Map<String, Number> counts, Splits<T> splits,
            Function<T, ?> record) {
        for (Split split : Split.values()) {
            List<?> records = splits.get(split).stream().map(record).toList();
            files.jsonl(split.fileName() + ".jsonl", records);
            counts.put(split.fileName() + ".records", records.size());
        }
    }

    private Datasheet finish(CorpusFiles files, String name, String title, String source, String license, String how,
            String formats, Map<String, Number> counts) {
        Datasheet sheet = new Datasheet(name, title, source, license, oneParagraph(how), oneParagraph(formats),
                corpus.seed(), corpus.profile().name(), counts, files.hashes(), ContentHash.ofFiles(files.hashes()));
        files.datasheet(sheet);
        return sheet;
    }

    private String wordNetLicense() {
        return corpus.wordNetLicense();
    }

    /** Text blocks wrap lines for the source code's sake; datasheets read better as flowing paragraphs. */
    private static String oneParagraph(String text) {
        return text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
