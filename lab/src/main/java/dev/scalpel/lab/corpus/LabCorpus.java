package dev.scalpel.lab.corpus;

import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpus;
import dev.scalpel.lab.corpus.arithmetic.ArithmeticCorpusBuilder;
import dev.scalpel.lab.corpus.facts.FactCorpus;
import dev.scalpel.lab.corpus.facts.FactCorpusBuilder;
import dev.scalpel.lab.corpus.prose.ProseCorpus;
import dev.scalpel.lab.corpus.prose.ProseCorpusBuilder;
import dev.scalpel.lab.corpus.prose.ProseSources;
import dev.scalpel.lab.corpus.text.TextCorpus;
import dev.scalpel.lab.corpus.text.TextCorpusBuilder;
import dev.scalpel.lab.corpus.wordnet.WordNet;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's four corpora, built from one seed and profile: English text (definitions) and facts from WordNet 3.1,
 * arithmetic word problems, and real English prose (State of the Union addresses and Moby-Dick). The same seed and profile give the same corpora, byte for byte once written.
 *
 * @param wordNetLicense the license of the WordNet data the text and facts derive from; it travels into their datasheets
 * @param proseLicense the license of the prose's packaging; it travels into the prose datasheet
 */
public record LabCorpus(long seed, Profile profile, TextCorpus text, FactCorpus facts, ArithmeticCorpus arithmetic,
        String wordNetLicense, ProseCorpus prose, String proseLicense) {

    /** Builds from the WordNet 3.1 and the prose on the class path (each loaded once per JVM). */
    public static LabCorpus build(long seed, Profile profile) {
        return build(WordNet.shared(), seed, profile);
    }

    public static LabCorpus build(WordNet wordNet, long seed, Profile profile) {
        return new LabCorpus(seed, profile, TextCorpusBuilder.build(wordNet, seed, profile),
                FactCorpusBuilder.build(wordNet, seed, profile), ArithmeticCorpusBuilder.build(seed, profile),
                wordNet.license(), ProseCorpusBuilder.build(seed, profile), ProseSources.license());
    }

    /**
     * Writes {@code folder/text}, {@code folder/facts}, {@code folder/arithmetic} and {@code folder/prose}, each with train, validation and
     * test jsonl files, its datasheet.json and datasheet.md; facts also get counterfact.json and zsre.json.
     *
     * @return the four datasheets, in that order
     */
    public List<Datasheet> writeTo(Path folder) {
        return new CorpusWriter(this).writeTo(folder);
    }
}
