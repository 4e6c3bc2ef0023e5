package dev.scalpel.lab.corpus.facts;

import dev.scalpel.lab.corpus.english.ProperNames;
import dev.scalpel.lab.corpus.wordnet.GlossParser;
import dev.scalpel.lab.corpus.wordnet.Lemma;
import dev.scalpel.lab.corpus.wordnet.PartOfSpeech;
import dev.scalpel.lab.corpus.wordnet.SynsetEntry;
import dev.scalpel.lab.corpus.wordnet.SynsetId;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds every (subject, object) pair WordNet offers for a relation whose words are fit for plain sentences.
 *
 * <p>Subjects: a lemma in its most frequent sense (so "dog" means the animal, not the sausage), one or two lower-case
 * words for common nouns, which must be countable (WordNet defines them with "a"/"an") so "A ... is" reads right;
 * one or two capitalized words for names of places and people (a person's full name is preferred to the surname).
 * Objects: the synset's first lemma that is one or two plain words. When a subject has several objects the one shared
 * with the most other subjects wins, which keeps one object per subject and makes neighborhoods large.
 */
public final class CandidateExtractor {
    private static final Pattern COMMON = Pattern.compile("[a-z]{3,}( [a-z]{2,})?");
    private static final Pattern NAME = Pattern.compile("[A-Z][a-z]+( [A-Z][a-z]+)?");
    private static final Pattern CATEGORY = Pattern.compile("[A-Za-z][a-z]+( [a-z]{2,})?");
    private static final String LOCATION = "noun.location";
    private static final String PERSON = "noun.person";

    private static final Set<String> TAXONOMY = Set.of("noun.animal", "noun.plant");

    private final WordNet wordNet;
    private final PlaceCategories places;
    private final Map<String, Optional<String>> objectWords = new HashMap<>();

    public CandidateExtractor(WordNet wordNet) {
        this.wordNet = wordNet;
        this.places = new PlaceCategories(wordNet);
    }

    /** All candidates of one relation, sorted by descending score, then subject. */
    public List<Candidate> extract(Relation relation) {
        record Option(SynsetEntry subject, String subjectWord, double score, List<SynsetEntry> objects) {}
        List<Option> options = new ArrayList<>();
        Map<String, Integer> popularity = new HashMap<>();
        for (SynsetEntry synset : wordNet.synsets()) {
            if (synset.pos() != PartOfSpeech.NOUN || synset.targets(relation.link()).isEmpty()) {
                continue;
            }
            Optional<Lemma> subject = subjectLemma(relation, synset);
            if (subject.isEmpty()) {
                continue;
            }
            List<SynsetEntry> objects = new ArrayList<>();
            for (SynsetId target : synset.targets(relation.link())) {
                SynsetEntry object = wordNet.find(target).orElse(null);
                if (object != null && objectFits(relation, synset, object)
                        && objectWord(relation, object).filter(w -> readable(subject.get().text(), w)).isPresent()) {
                    objects.add(object);
                }
            }
            if (objects.isEmpty()) {
                continue;
            }
            options.add(new Option(synset, subject.get().text(), score(subject.get()), objects));
            for (SynsetEntry o : objects) {
                popularity.merge(objectWord(relation, o).orElseThrow(), 1, Integer::sum);
            }
        }
        List<Candidate> candidates = new ArrayList<>(options.size());
        for (Option option : options) {
            SynsetEntry best = option.objects().getFirst();
            for (SynsetEntry o : option.objects()) {
                if (popularity.get(objectWord(relation, o).orElseThrow())
                        > popularity.get(objectWord(relation, best).orElseThrow())) {
                    best = o;
                }
            }
            candidates.add(new Candidate(relation, option.subject().id(), option.subjectWord(), best.id(),
                    objectWord(relation, best).orElseThrow(), option.score()));
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::subject));
        return candidates;
    }

    private Optional<Lemma> subjectLemma(Relation relation, SynsetEntry synset) {
        if (relation.properSubjects()) {
            if (!synset.isInstance()) {
                return Optional.empty();
            }
            boolean place = synset.lexFile().equals(LOCATION);
            if (!place && !synset.lexFile().equals(PERSON)) {
                return Optional.empty();
            }
            if (relation == Relation.LOCATED_IN && !place) {
                return Optional.empty();
            }
            List<Lemma> fitting = synset.lemmas().stream()
                    .filter(l -> NAME.matcher(l.text()).matches() && isFirstSense(l, synset))
                    .filter(l -> !place || !ProperNames.needsArticle(l.text()))
                    .toList();
            if (!place) {
                // "Albert Einstein" says more than "Einstein", which may also be someone else.
                Optional<Lemma> fullName = fitting.stream().filter(l -> l.wordCount() == 2).findFirst();
                if (fullName.isPresent()) {
                    return fullName;
                }
            }
            return fitting.stream().findFirst();
        }
        if (synset.isInstance() || !countable(synset)) {
            return Optional.empty();
        }
        return synset.lemmas().stream()
                .filter(l -> COMMON.matcher(l.text()).matches() && isFirstSense(l, synset))
                .findFirst();
    }

    private boolean objectFits(Relation relation, SynsetEntry subject, SynsetEntry object) {
        return switch (relation) {
            case KIND_OF, PART_OF -> !object.isInstance();
            // Member holonyms of animals and plants are mostly Latin taxa ("Canis", "animal kingdom"); the rest are
            // groups in the everyday sense (fleet, crew, royalty).
            case MEMBER_OF -> !object.isInstance() && !TAXONOMY.contains(object.lexFile());
            // Places are instances of regions (cities, towns, countries, states); rivers and mountains would need
            // "the" before their names, so they are left out. People can be instances of any category.
            case INSTANCE_OF -> !object.isInstance()
                    && (!subject.lexFile().equals(LOCATION) || places.isRegionCategory(object.id()));
            case LOCATED_IN -> object.isInstance() && object.lexFile().equals(LOCATION)
                    && places.isRegion(subject.id());
        };
    }

    /**
     * A fact must be learned, not read off its subject: "A living room is a kind of room" or "Mexico City is located
     * in Mexico" would let a model that never saw the fact guess it, so subjects containing a word of the object are
     * left out, as are subjects equal to the object.
     */
    private static boolean readable(String subject, String object) {
        List<String> subjectWords = List.of(subject.toLowerCase(Locale.ROOT).split(" "));
        for (String word : object.toLowerCase(Locale.ROOT).split(" ")) {
            if (subjectWords.contains(word)) {
                return false;
            }
        }
        return true;
    }

    /** The word used for an object synset: its first lemma of the right shape. */
    Optional<String> objectWord(Relation relation, SynsetEntry object) {
        return objectWords.computeIfAbsent(relation.key() + ":" + object.id(), k -> findObjectWord(relation, object));
    }

    private static Optional<String> findObjectWord(Relation relation, SynsetEntry object) {
        Pattern shape = switch (relation) {
            case KIND_OF, PART_OF, MEMBER_OF -> COMMON;
            case INSTANCE_OF -> CATEGORY;
            case LOCATED_IN -> NAME;
        };
        return object.lemmas().stream().map(Lemma::text)
                .filter(t -> shape.matcher(t).matches())
                .filter(t -> relation != Relation.LOCATED_IN || !ProperNames.needsArticle(t))
                .findFirst();
    }

    private boolean isFirstSense(Lemma lemma, SynsetEntry synset) {
        return wordNet.firstNounSense(lemma.text()).map(synset.id()::equals).orElse(false);
    }

    /** WordNet defines countable nouns with an indefinite article ("a human limb"), mass nouns without. */
    private static boolean countable(SynsetEntry synset) {
        String gloss = synset.gloss();
        // Only a gloss opening with a usage label needs the parser to find where the definition starts.
        String definition = gloss.startsWith("(") ? GlossParser.parse(gloss).definition() : gloss;
        return definition.startsWith("a ") || definition.startsWith("an ");
    }

    private double score(Lemma lemma) {
        int rarest = Integer.MAX_VALUE;
        for (String word : lemma.text().toLowerCase(Locale.ROOT).split(" ")) {
            rarest = Math.min(rarest, wordNet.glossCount(word));
        }
        return Math.log1p(rarest) + 2 * Math.log1p(lemma.useCount());
    }
}
