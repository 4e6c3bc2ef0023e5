package dev.scalpel.edit.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target for the CounterFact / zsRE reader: every input reads or is refused with a {@link ScalpelException}
 * naming the file and the record; anything else that escapes is a bug. Regression inputs live under
 * {@code src/test/resources/dev/scalpel/edit/data/EditDatasetsFuzzTestInputs/read/}.
 */
class EditDatasetsFuzzTest {
    /** One folder for the whole run: the targets rewrite their file in it for every input. */
    @TempDir
    static Path DIR;

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws IOException {
        Path file = Files.write(DIR.resolve("facts.json"), data);
        try {
            EditDatasets.read(file).forEach(request -> request.subject());
        } catch (ScalpelException refused) {
            // refused with the file's name
        }
    }
}
