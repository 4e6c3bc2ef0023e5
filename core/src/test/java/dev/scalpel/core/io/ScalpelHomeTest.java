package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalpelHomeTest {
    @Test
    void thePropertyWinsThenTheEnvironmentThenTheUsersCacheFolder() {
        assertEquals(Path.of("/p"), ScalpelHome.fromEnvironment("/p", Map.of("SCALPEL_HOME", "/e"), "/home/u").root());
        assertEquals(Path.of("/e"), ScalpelHome.fromEnvironment(null, Map.of("SCALPEL_HOME", "/e"), "/home/u").root());
        assertEquals(Path.of("/home/u/.cache/scalpel"), ScalpelHome.fromEnvironment(null, Map.of(), "/home/u").root());
        // A blank setting is no setting: an exported-but-empty variable must not put caches in the working folder.
        assertEquals(Path.of("/home/u/.cache/scalpel"),
                ScalpelHome.fromEnvironment(" ", Map.of("SCALPEL_HOME", ""), "/home/u").root());
    }

    @Test
    void everyCacheIsAFolderOfTheHome() {
        ScalpelHome h = new ScalpelHome(Path.of("/h"));
        assertEquals(Path.of("/h/lab"), h.lab());
        assertEquals(Path.of("/h/edit"), h.edit());
        assertEquals(Path.of("/h/bundled"), h.bundled());
        assertEquals(Path.of("/h/reproductions/editing"), h.reproductions("editing"));
        assertEquals(Path.of("/h/bench-models"), h.benchModels());
    }
}
