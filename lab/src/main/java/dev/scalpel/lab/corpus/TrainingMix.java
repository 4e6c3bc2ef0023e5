package dev.scalpel.lab.corpus;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.prose.Passage;
import dev.scalpel.lab.corpus.text.TextDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * An endless, seeded stream of training documents drawn from the training splits of the three corpora with the
 * given weights (prose passages too). Each source is dealt as a deck: every text document, fact sentence and problem once per pass, in a
 * new order each pass.
 *
 * <p>A fact document holds {@value #FACT_SENTENCES_PER_DOCUMENT} training sentences of different facts (one fact's
 * phrasings are spread over the pass, not put side by side), so a model must recall each object rather than copy it
 * from an earlier sentence of the same document. Formats are those of {@link DocumentFormats}.
 */
public final class TrainingMix implements Iterator<TrainingDocument> {
    public static final int FACT_SENTENCES_PER_DOCUMENT = 8;

    private record FactSentence(String factId, String sentence) {}

    private final MixWeights weights;
    private final Random choice;
    private final Deck<TextDocument> text;
    private final Deck<FactSentence> facts;
    private final Deck<WordProblem> arithmetic;
    private final Deck<Passage> prose;
    private final ArrayDeque<FactSentence> pending = new ArrayDeque<>();
    private final int sentencesPerDocument;

    public TrainingMix(LabCorpus corpus, MixWeights weights, long seed) {
        this.weights = weights;
        this.choice = new Random(StableHash.derive(seed, "mix:source"));
        this.text = deck(corpus.text().documents().train(), weights.text(), seed, "text");
        List<FactSentence> sentences = new ArrayList<>();
        for (Fact f : corpus.facts().facts().train()) {
            for (String s : f.trainingSentences()) {
                sentences.add(new FactSentence(f.id(), s));
            }
        }
        this.facts = deck(sentences, weights.facts(), seed, "facts");
        // Fewer training facts than a document holds (tiny corpora): one sentence per fact.
        this.sentencesPerDocument = Math.min(FACT_SENTENCES_PER_DOCUMENT, corpus.facts().facts().train().size());
        this.arithmetic = deck(corpus.arithmetic().problems().train(), weights.arithmetic(), seed, "arithmetic");
        this.prose = deck(corpus.prose().passages().train(), weights.prose(), seed, "prose");
    }

    private static <T> Deck<T> deck(List<T> items, double weight, long seed, String name) {
        if (weight == 0) {
            return null;
        }
        if (items.isEmpty()) {
            throw new ScalpelException("training mix: source '" + name + "' has weight " + weight
                    + " but its training split is empty");
        }
        return new Deck<>(items, seed, name);
    }

    /** Always true: the mix is endless; take as many documents as the training budget allows. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public TrainingDocument next() {
        Source source = pickSource();
        return switch (source) {
            case TEXT -> new TrainingDocument(source, text.next().text());
            case FACTS -> new TrainingDocument(source, DocumentFormats.factDocument(factSentences()));
            case ARITHMETIC -> {
                WordProblem p = arithmetic.next();
                yield new TrainingDocument(source, DocumentFormats.arithmeticDocument(p.question(), p.solution()));
            }
            case PROSE -> new TrainingDocument(source, prose.next().text());
        };
    }

    private Source pickSource() {
        double total = weights.text() + weights.facts() + weights.arithmetic() + weights.prose();
        double u = choice.nextDouble() * total;
        for (Source s : Source.values()) {
            u -= weights.weight(s);
            if (u < 0 && weights.weight(s) > 0) {
                return s;
            }
        }
        // Rounding can leave u at 0 after the last subtraction; the last source with weight takes it.
        for (int i = Source.values().length - 1; i >= 0; i--) {
            if (weights.weight(Source.values()[i]) > 0) {
                return Source.values()[i];
            }
        }
        throw new IllegalStateException("mix weights validated positive");
    }

    /**
     * Sentences of distinct facts. A sentence whose fact is already in the document waits for the next document, so
     * every training sentence is still dealt once per pass.
     */
    private List<String> factSentences() {
        List<String> sentences = new ArrayList<>(sentencesPerDocument);
        List<String> ids = new ArrayList<>(sentencesPerDocument);
        int waiting = pending.size();
        for (int i = 0; i < waiting && sentences.size() < sentencesPerDocument; i++) {
            take(pending.poll(), sentences, ids);
        }
        while (sentences.size() < sentencesPerDocument) {
            take(facts.next(), sentences, ids);
        }
        return sentences;
    }

    private void take(FactSentence s, List<String> sentences, List<String> ids) {
        if (ids.contains(s.factId())) {
            pending.add(s);
        } else {
            ids.add(s.factId());
            sentences.add(s.sentence());
        }
    }
}
