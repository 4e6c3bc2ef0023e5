package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same corpus gives the same files, byte for byte, whatever its documents' order or where it is read from. */
class BpeDeterminismTest {

    @Test
    void sameCorpusGivesTheSameFileBytes(@TempDir Path dir) throws IOException {
        List<String> corpus = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 4000; i++) {
            corpus.add(BpeTestTexts.arithmetic(random) + "\n");
        }
        corpus.addAll(BpeTestTexts.varied(5, 3000));
        // One long document too, so that the parallel counter cuts it into chunks.
        corpus.add(String.join("", corpus));
        BpeConfig config = BpeConfig.lab().withVocabSize(1024);

        BpeTrainer.train(corpus, config).save(dir.resolve("first"));
        BpeTrainer.train(corpus, config).save(dir.resolve("second"));
        List<String> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, new Random(9));
        BpeTrainer.train(shuffled, config).save(dir.resolve("shuffled"));

        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, String.join("", corpus));
        BpeTrainer.train(text, config).save(dir.resolve("file"));
        BpeTrainer.train(List.of(String.join("", corpus)), config).save(dir.resolve("string"));

        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            byte[] first = Files.readAllBytes(dir.resolve("first").resolve(file));
            assertArrayEquals(first, Files.readAllBytes(dir.resolve("second").resolve(file)), file + ", trained again");
            assertArrayEquals(first, Files.readAllBytes(dir.resolve("shuffled").resolve(file)), file + ", shuffled");
            assertArrayEquals(Files.readAllBytes(dir.resolve("string").resolve(file)),
                    Files.readAllBytes(dir.resolve("file").resolve(file)), file + ", read from a file");
        }
    }
}
