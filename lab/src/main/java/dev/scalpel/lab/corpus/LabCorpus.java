package dev.scalpel.lab.corpus;

import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpus;
import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpusBuilder;
import dev.scalpel.lab.corpus.facts.FactCorpus;
import dev.scalpel.lab.corpus.facts.FactCorpusBuilder;
import dev.scalpel.lab.corpus.text.TextCorpus;
import dev.scalpel.lab.corpus.text.TextCorpusBuilder;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's three corpora, built from one seed and profile: English text and facts from WordNet 3.1, and arithmetic
 * word problems. The same seed and profile give the same corpora, byte for byte once written.
 *
 * @param wordNetLicense the license of the WordNet data the text and facts derive from; it travels into their datasheets
 */
public record LabCorpus(long seed, Profile profile, TextCorpus text, FactCorpus facts, ArithmeticCorpus arithmetic,
        String wordNetLicense) {

    /** Builds from the WordNet 3.1 on the class path (loaded once per JVM). */
    public static LabCorpus build(long seed, Profile profile) {
        return build(WordNet.shared(), seed, profile);
    }

    public static LabCorpus build(WordNet wordNet, long seed, Profile profile) {
        return new LabCorpus(seed, profile, TextCorpusBuilder.build(wordNet, seed, profile),
                FactCorpusBuilder.build(wordNet, seed, profile), ArithmeticCorpusBuilder.build(seed, profile),
                wordNet.license());
    }

    /**
     * Writes {@code folder/text}, {@code folder/facts} and {@code folder/arithmetic}, each with train, validation and
     * test jsonl files, its datasheet.json and datasheet.md; facts also get counterfact.json and zsre.json.
     *
     * @return the three datasheets, in that order
     */
    public List<Datasheet> writeTo(Path folder) {
        return new CorpusWriter(this).writeTo(folder);
    }
}
