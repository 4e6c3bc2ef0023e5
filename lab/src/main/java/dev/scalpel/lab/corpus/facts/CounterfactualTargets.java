package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.StableHash;
import dev.scalpel.lab.corpus.english.Articles;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picks each fact's {@code target_new}: an object of the same relation that some training fact has (so the
 * attribute prompts exist and the model knows the word in this role), that is false for the subject (not among its
 * {@link TrueObjects}), that takes the same article when the prompt ends with one ("Paris is a" needs a consonant
 * sound), and that preferably comes from the same WordNet lexicographer file as the true object (a dog becomes another
 * animal, not a feeling), chosen by a hash of the seed and the fact id.
 */
final class CounterfactualTargets {
    /** A possible new object and the synset it names. */
    record Option(String object, SynsetId synset, String lexFile) {}

    private final WordNet wordNet;
    private final long seed;
    private final Map<Relation, List<Option>> pools = new TreeMap<>();

    CounterfactualTargets(List<Draft> drafts, WordNet wordNet, long seed) {
        this.wordNet = wordNet;
        this.seed = seed;
        Map<Relation, Map<String, Option>> distinct = new TreeMap<>();
        for (Draft d : drafts) {
            if (d.split() == Split.TRAIN) {
                SynsetId synset = d.candidate().objectSynset();
                distinct.computeIfAbsent(d.relation(), k -> new TreeMap<>())
                        .putIfAbsent(d.object(), new Option(d.object(), synset, wordNet.synset(synset).lexFile()));
            }
        }
        distinct.forEach((relation, options) -> pools.put(relation, List.copyOf(options.values())));
    }

    /** @param trueWords the subject's {@link TrueObjects}, which the caller computes once per fact */
    Optional<Option> choose(Draft draft, Set<String> trueWords) {
        boolean articleMatters = Phrasings.main(draft.relation()).objectArticleInPrompt();
        String article = Articles.indefinite(draft.object());
        String lexFile = wordNet.synset(draft.candidate().objectSynset()).lexFile();
        List<Option> any = new ArrayList<>();
        List<Option> sameFile = new ArrayList<>();
        for (Option o : pools.getOrDefault(draft.relation(), List.of())) {
            if (o.object().equals(draft.object()) || trueWords.contains(o.object().toLowerCase(Locale.ROOT))
                    || o.object().equalsIgnoreCase(draft.candidate().subject())
                    || (articleMatters && !Articles.indefinite(o.object()).equals(article))) {
                continue;
            }
            any.add(o);
            if (o.lexFile().equals(lexFile)) {
                sameFile.add(o);
            }
        }
        List<Option> pool = sameFile.isEmpty() ? any : sameFile;
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pool.get((int) Math.floorMod(StableHash.of(seed, "target-new:" + draft.id()), (long) pool.size())));
    }

    /** Main prompts of training facts whose true object is {@code object}: CounterFact's attribute prompts. */
    static List<String> attributePrompts(Neighborhoods neighborhoods, Draft draft, String object) {
        return neighborhoods.prompts("attribute:" + draft.id(), draft.relation(), object, draft.candidate().subject());
    }
}
