package dev.scalpel.lab.corpus.prose;

import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.Splits;
import dev.scalpel.lab.corpus.StableHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the prose corpus: documents split by document, within each work separately so that both the addresses and
 * the novel are in every split; each split takes its exact share (at least one document), the documents ranked by a
 * seeded hash of their id so the choice does not depend on the packaged order.
 */
public final class ProseCorpusBuilder {
    private ProseCorpusBuilder() {
    }

    public static ProseCorpus build(long seed, Profile profile) {
        return build(ProseSources.documents(), seed, profile);
    }

    public static ProseCorpus build(List<ProseDocument> all, long seed, Profile profile) {
        Map<String, List<ProseDocument>> byWork = new LinkedHashMap<>();
        for (ProseDocument d : all) {
            byWork.computeIfAbsent(d.work(), k -> new ArrayList<>()).add(d);
        }
        List<ProseDocument> train = new ArrayList<>();
        List<ProseDocument> validation = new ArrayList<>();
        List<ProseDocument> test = new ArrayList<>();
        int perWork = Math.max(3, profile.proseDocuments() / Math.max(1, byWork.size()));
        for (List<ProseDocument> work : byWork.values()) {
            List<ProseDocument> ranked = new ArrayList<>(work);
            ranked.sort(Comparator.comparingLong((ProseDocument d) -> StableHash.of(seed, "prose-split:" + d.id()))
                    .thenComparing(ProseDocument::id));
            if (ranked.size() > perWork) {
                ranked = ranked.subList(0, perWork);
            }
            int testCount = Math.max(1, (int) Math.round(ranked.size() * profile.testFraction()));
            int validationCount = Math.max(1, (int) Math.round(ranked.size() * profile.validationFraction()));
            test.addAll(ranked.subList(0, testCount));
            validation.addAll(ranked.subList(testCount, testCount + validationCount));
            train.addAll(ranked.subList(testCount + validationCount, ranked.size()));
        }
        Splits<ProseDocument> documents = new Splits<>(inPackagedOrder(train, all), inPackagedOrder(validation, all),
                inPackagedOrder(test, all));
        return new ProseCorpus(documents, new Splits<>(passages(documents.train(), profile),
                passages(documents.validation(), profile), passages(documents.test(), profile)));
    }

    private static List<ProseDocument> inPackagedOrder(List<ProseDocument> chosen, List<ProseDocument> all) {
        return all.stream().filter(chosen::contains).toList();
    }

    private static List<Passage> passages(List<ProseDocument> documents, Profile profile) {
        List<Passage> out = new ArrayList<>();
        for (ProseDocument d : documents) {
            List<Passage> cut = Passages.of(d);
            out.addAll(cut.size() > profile.prosePassagesPerDocument() ? cut.subList(0, profile.prosePassagesPerDocument()) : cut);
        }
        return out;
    }
}
