package dev.scalpel.lab.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny ladder trains each size once, keeps the recipe's checkpoints as complete model folders, and is reused. */
class LabLadderTest {

    @Test
    void eachSizeKeepsItsCheckpointsAsLoadableFoldersAndIsNotTrainedTwice(@TempDir Path home) throws IOException {
        LabLadder.Spec spec = LabLadder.Spec.of(LabProfile.TINY);
        assertEquals(List.of(256L, 512L, 1536L), spec.checkpointTokens());
        List<String> log = new ArrayList<>();
        List<LabLadder.TrainedSize> sizes = new LabLadder(spec, new LabHome(home.resolve("lab")), home.resolve("work"),
                true, log::add).train();
        assertEquals(List.of("s", "m"), sizes.stream().map(LabLadder.TrainedSize::name).toList());
        assertTrue(sizes.get(0).parameters() < sizes.get(1).parameters());
        for (LabLadder.TrainedSize size : sizes) {
            assertEquals(3, size.checkpoints().size());
            for (Path checkpoint : size.checkpoints()) {
                try (LoadedModel m = LoadedModel.open(checkpoint)) {
                    assertEquals(size.parameters(), m.model().parameters().count());
                    assertEquals(0, m.requireTokenizer().encode("a dog")[0], checkpoint + " carries the lab tokenizer");
                }
            }
        }
        assertEquals(2, log.stream().filter(l -> l.startsWith("training size")).count(), String.join("\n", log));
        long before = Files.getLastModifiedTime(sizes.get(1).checkpoints().get(2).resolve("model.safetensors")).toMillis();

        log.clear();
        List<LabLadder.TrainedSize> again = new LabLadder(spec, new LabHome(home.resolve("lab")), home.resolve("work"),
                true, log::add).train();
        assertEquals(sizes, again);
        assertFalse(log.stream().anyMatch(l -> l.startsWith("training size")), String.join("\n", log));
        assertEquals(before, Files.getLastModifiedTime(again.get(1).checkpoints().get(2).resolve("model.safetensors"))
                .toMillis());
    }

    @Test
    void aCheckpointBeyondTheTrainingIsRefused() {
        LabLadder.Spec tiny = LabLadder.Spec.of(LabProfile.TINY);
        var e = assertThrows(IllegalArgumentException.class, () -> new LabLadder.Spec(tiny.name(), tiny.profile(),
                tiny.sizes(), tiny.mix(), tiny.sequenceLength(), tiny.batchSize(), tiny.training(), List.of(1, 7)));
        assertTrue(e.getMessage().contains("1792 tokens") && e.getMessage().contains("(1536)"), e.getMessage());
    }
}
