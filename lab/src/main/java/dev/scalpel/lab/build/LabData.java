package dev.scalpel.lab.build;

import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.DocumentPacker;
import dev.scalpel.lab.corpus.Datasheet;
import dev.scalpel.lab.corpus.DocumentFormats;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.corpus.MixWeights;
import dev.scalpel.lab.corpus.Split;
import dev.scalpel.lab.corpus.TrainingMix;
import dev.scalpel.lab.corpus.arithmetic.WordProblem;
import dev.scalpel.lab.corpus.facts.Fact;
import dev.scalpel.lab.corpus.prose.Passage;
import dev.scalpel.lab.corpus.text.TextDocument;
import dev.scalpel.lab.tokenizer.BpeConfig;
import dev.scalpel.lab.tokenizer.BpeModel;
import dev.scalpel.lab.tokenizer.BpeTrainer;
import dev.scalpel.lab.tokenizer.SpecialTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data a lab model is trained and judged on: the corpora (written with their datasheets), the BPE tokenizer
 * trained on their training splits, and token streams made from them. Built once per profile and seed and reused.
 */
public final class LabData implements AutoCloseable {
    private final Path folder;
    private final LabCorpus corpus;
    private final Tokenizer tokenizer;
    private final SpecialTokens special = SpecialTokens.standard();
    private final String hash;

    private LabData(Path folder, LabCorpus corpus, Tokenizer tokenizer, String hash) {
        this.folder = folder;
        this.corpus = corpus;
        this.tokenizer = tokenizer;
        this.hash = hash;
    }

    /** Builds (or reuses) the corpora and tokenizer of {@code profile} under {@code home}. */
    public static LabData prepare(LabHome home, LabProfile profile, long seed) {
        Path folder = home.data(profile, seed);
        LabCorpus corpus = LabCorpus.build(seed, profile.corpus());
        try {
            Path corpusFolder = folder.resolve("corpus");
            List<Datasheet> sheets = corpus.writeTo(corpusFolder);
            Path tokenizerFolder = folder.resolve("tokenizer");
            if (!Files.exists(tokenizerFolder.resolve("tokenizer.json"))) {
                BpeModel bpe = BpeTrainer.train(tokenizerCorpus(corpus), BpeConfig.lab().withVocabSize(profile.vocabSize()));
                Path tmp = folder.resolve("tokenizer.tmp");
                bpe.save(tmp);
                Files.move(tmp, tokenizerFolder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            StringBuilder all = new StringBuilder();
            sheets.forEach(s -> all.append(s.corpus()).append(':').append(s.contentHash()).append('\n'));
            all.append("tokenizer:").append(Sha256.of(Files.readAllBytes(tokenizerFolder.resolve("tokenizer.json"))));
            return new LabData(folder, corpus, Tokenizer.load(tokenizerFolder), Sha256.of(all.toString()));
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot prepare the lab data: " + e.getMessage(), e);
        }
    }

    /**
     * The written corpora of {@code profile} (their jsonl files, datasheets and the CounterFact and zsRE exports),
     * written first if they are not there yet: what a command needs beside a shipped model, without training a
     * tokenizer.
     */
    public static Path corpusFolder(LabHome home, LabProfile profile, long seed) {
        Path folder = home.data(profile, seed).resolve("corpus");
        if (!Files.exists(folder.resolve("prose").resolve("datasheet.json"))) {
            LabCorpus.build(seed, profile.corpus()).writeTo(folder);
        }
        return folder;
    }

    /** Every training-split text the tokenizer learns from. */
    private static List<String> tokenizerCorpus(LabCorpus corpus) {
        List<String> texts = new ArrayList<>();
        corpus.text().documents().train().forEach(d -> texts.add(d.text()));
        corpus.prose().passages().train().forEach(p -> texts.add(p.text()));
        for (Fact f : corpus.facts().facts().train()) {
            texts.addAll(f.trainingSentences());
        }
        for (WordProblem p : corpus.arithmetic().problems().train()) {
            texts.add(DocumentFormats.arithmeticDocument(p.question(), p.solution()));
        }
        return texts;
    }

    public Path folder() {
        return folder;
    }

    public Path tokenizerFolder() {
        return folder.resolve("tokenizer");
    }

    public LabCorpus corpus() {
        return corpus;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public SpecialTokens special() {
        return special;
    }

    /** A hash of every data file and the tokenizer: which data a model saw. */
    public String hash() {
        return hash;
    }

    /** A training stream of at least {@code tokens} tokens drawn from the mix. */
    public int[] trainingStream(MixWeights weights, long seed, long tokens) {
        TrainingMix mix = new TrainingMix(corpus, weights, seed);
        DocumentPacker out = new DocumentPacker(tokenizer, special.eosId(), tokens);
        while (out.size() < tokens) {
            out.add(mix.next().text());
        }
        return out.toArray();
    }

    /** The WordNet definitions of one split as one packed stream. */
    public int[] definitionStream(Split split) {
        List<TextDocument> docs = corpus.text().documents().get(split);
        DocumentPacker out = new DocumentPacker(tokenizer, special.eosId(), docs.size() * 40L);
        docs.forEach(d -> out.add(d.text()));
        return out.toArray();
    }

    /** The prose passages of one split as one packed stream: held-out loss and perplexity are measured on it. */
    public int[] proseStream(Split split) {
        List<Passage> passages = corpus.prose().passages().get(split);
        DocumentPacker out = new DocumentPacker(tokenizer, special.eosId(), passages.size() * 220L);
        passages.forEach(p -> out.add(p.text()));
        return out.toArray();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
