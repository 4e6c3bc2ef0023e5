package dev.scalpel.core.hparams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperparameterFilesTest {
    record Value(int steps, double learningRate) {
    }

    record Demo(List<Integer> layers, Value value, double weight, boolean relative) {
        Demo {
            if (weight < 0) {
                throw new IllegalArgumentException("the weight cannot be negative: " + weight);
            }
        }
    }

    private static Demo named(String... overrides) {
        return HyperparameterFiles.load(Demo.class, "demo", "base",
                List.of(overrides).stream().map(HyperparameterOverride::parse).toList());
    }

    private static String error(String json, String... overrides) throws IOException {
        Path file = Files.createTempFile("hparams", ".json");
        Files.writeString(file, json);
        try {
            return assertThrows(ScalpelException.class, () -> HyperparameterFiles.load(Demo.class, "demo", file.toString(),
                    List.of(overrides).stream().map(HyperparameterOverride::parse).toList())).getMessage()
                    .replace(file.toString(), "FILE");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aNamedFileBindsEveryField() {
        assertEquals(new Demo(List.of(1, 2), new Value(25, 0.5), 100, true), named());
        assertTrue(HyperparameterFiles.exists(Demo.class, "demo", "base"));
        assertTrue(!HyperparameterFiles.exists(Demo.class, "demo", "other"));
    }

    @Test
    void overridesReplaceNestedValuesListsAndBooleans() {
        Demo d = named("value.steps=30", "layers=[4,5,6]", "relative=false", "weight=2.5e3");
        assertEquals(new Demo(List.of(4, 5, 6), new Value(30, 0.5), 2500, false), d);
    }

    @Test
    void aFileOnDiskIsReadLikeANamedOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"layers\":[0],\"value\":{\"steps\":3,\"learningRate\":0.1},\"weight\":1,\"relative\":false}");
        assertEquals(new Demo(List.of(0), new Value(3, 0.1), 1, false),
                HyperparameterFiles.load(Demo.class, "demo", file.toString(), List.of()));
    }

    @Test
    void errorsNameTheFileAndTheKey() throws IOException {
        String ok = "\"layers\":[0],\"value\":{\"steps\":3,\"learningRate\":0.1},\"weight\":1,\"relative\":false";
        assertEquals("FILE: unknown key 'wieght' (known: layers, relative, value, weight)",
                error("{" + ok + ",\"wieght\":2}"));
        assertTrue(error("{\"layers\":[0],\"value\":{\"steps\":\"3\",\"learningRate\":0.1},\"weight\":1,\"relative\":false}")
                .startsWith("FILE: key 'value.steps': "));
        assertTrue(error("{\"layers\":[0],\"value\":{\"steps\":3.5,\"learningRate\":0.1},\"weight\":1,\"relative\":false}")
                .startsWith("FILE: key 'value.steps': "));
        assertTrue(error("{\"layers\":[0],\"value\":{\"steps\":3,\"learningRate\":0.1},\"weight\":1,\"relative\":1}")
                .startsWith("FILE: key 'relative': "));
        assertEquals("FILE: missing key 'value.learningRate' (every hyperparameter must be given)",
                error("{\"layers\":[0],\"value\":{\"steps\":3},\"weight\":1,\"relative\":false}"));
        assertTrue(error("{" + ok + ",\"weight\":2}").startsWith("FILE: not valid JSON: Duplicate field 'weight'"));
        assertEquals("FILE with --hparam weight=-1: the weight cannot be negative: -1.0",
                error("{" + ok + "}", "weight=-1"));
    }

    @Test
    void anOverrideOfAnUnknownKeyIsRefused() {
        assertEquals("--hparam value.stpes=3: hparams/demo/base.json has no key 'stpes' under 'value'"
                + " (its keys: steps, learningRate)",
                assertThrows(ScalpelException.class, () -> named("value.stpes=3")).getMessage());
        assertEquals("--hparam steps: expected name=value, e.g. value.steps=30",
                assertThrows(ScalpelException.class, () -> named("steps")).getMessage());
        assertTrue(assertThrows(ScalpelException.class, () -> HyperparameterFiles.load(Demo.class, "demo", "nope",
                List.of())).getMessage().startsWith("hparams/demo/nope.json: Scalpel has no hyperparameters named 'nope'"));
    }
}
