package dev.scalpel.lab.corpus.text;

import dev.scalpel.lab.corpus.Profile;
import dev.scalpel.lab.corpus.Shuffle;
import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.SplitAssigner;
import dev.scalpel.lab.corpus.Splits;
import dev.scalpel.lab.corpus.StableHash;
import dev.scalpel.lab.corpus.wordnet.Gloss;
import dev.scalpel.lab.corpus.wordnet.GlossParser;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/** Builds the text corpus: a document per synset, assigned to a split by its synset id, shuffled by the seed. */
public final class TextCorpusBuilder {
    private TextCorpusBuilder() {}

    public static TextCorpus build(WordNet wordNet, long seed, Profile profile) {
        SplitAssigner assigner = SplitAssigner.of(seed, profile);
        Map<Split, List<TextDocument>> bySplit = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            bySplit.put(split, new ArrayList<>());
        }
        for (SynsetEntry synset : sample(wordNet.synsets(), seed, profile.textSynsets())) {
            document(synset).ifPresent(doc -> bySplit.get(assigner.assign(synset.id().toString())).add(doc));
        }
        return new TextCorpus(new Splits<>(
                Shuffle.shuffled(bySplit.get(Split.TRAIN), seed, "text-order:train"),
                Shuffle.shuffled(bySplit.get(Split.VALIDATION), seed, "text-order:validation"),
                Shuffle.shuffled(bySplit.get(Split.TEST), seed, "text-order:test")));
    }

    /** The definition sentence followed by the usage examples; empty when the gloss has neither. */
    public static Optional<TextDocument> document(SynsetEntry synset) {
        Gloss gloss = GlossParser.parse(synset.gloss());
        List<String> sentences = new ArrayList<>();
        DefinitionSentence.of(synset, gloss).ifPresent(sentences::add);
        sentences.addAll(gloss.examples());
        if (sentences.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TextDocument(synset.id(), String.join(" ", sentences)));
    }

    /** All synsets, or a seeded sample of them that does not depend on the synsets' order. */
    private static List<SynsetEntry> sample(List<SynsetEntry> synsets, long seed, int size) {
        if (size >= synsets.size()) {
            return synsets;
        }
        record Keyed(SynsetEntry synset, long key) {}
        Comparator<Keyed> order = Comparator.comparingLong(Keyed::key).thenComparing(k -> k.synset().id());
        // The smallest keys win; a bounded max-heap keeps the sample without sorting every synset.
        PriorityQueue<Keyed> kept = new PriorityQueue<>(size + 1, order.reversed());
        long purpose = StableHash.of(seed, "text-sample");
        for (SynsetEntry s : synsets) {
            kept.add(new Keyed(s, StableHash.combine(purpose, s.id().key())));
            if (kept.size() > size) {
                kept.poll();
            }
        }
        return kept.stream().sorted(order).map(Keyed::synset).toList();
    }
}
