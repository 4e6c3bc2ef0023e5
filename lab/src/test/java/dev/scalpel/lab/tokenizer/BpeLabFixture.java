package dev.scalpel.lab.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The lab tokenizer the tests share, trained once per test JVM (a few seconds) on lab-like text: a quarter of the
 * WordNet glosses, arithmetic word problems and varied sentences; another quarter of the glosses is held out.
 */
final class BpeLabFixture {
    private static BpeLabFixture instance;

    final List<String> training;
    final List<String> heldOut;
    final BpeModel model;
    final Path folder;

    private BpeLabFixture() {
        List<String> glosses = BpeTestTexts.glosses();
        training = new ArrayList<>();
        heldOut = new ArrayList<>();
        for (int i = 0; i < glosses.size(); i++) {
            if (i % 4 == 1) {
                training.add(glosses.get(i) + "\n");
            } else if (i % 4 == 3 && heldOut.size() < 4000) {
                heldOut.add(glosses.get(i) + "\n");
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 3000; i++) {
            training.add(BpeTestTexts.arithmetic(random) + "\n");
        }
        training.addAll(BpeTestTexts.varied(11, 2000));
        model = BpeTrainer.train(training, BpeConfig.lab());
        try {
            folder = Files.createTempDirectory("scalpel-bpe");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        model.save(folder);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(folder)));
    }

    static synchronized BpeLabFixture get() {
        if (instance == null) {
            instance = new BpeLabFixture();
        }
        return instance;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp folder left behind is harmless; the JVM is exiting.
        }
    }
}
