package dev.scalpel.interpret.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.interpret.data.JsonlDataset;
import dev.scalpel.interpret.data.MailText;
import dev.scalpel.interpret.data.MimeMail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz targets for interpret's readers (JSONL datasets, MIME mail): every input reads or is refused
 * with a {@link ScalpelException}; anything else that escapes is a bug. Regression inputs live under
 * {@code src/test/resources/dev/scalpel/interpret/io/ReadersFuzzTestInputs/<target>/}; {@code tools/fuzz/run.sh}
 * fuzzes them.
 */
class ReadersFuzzTest {
    /** One folder for the whole run: the targets rewrite their file in it for every input. */
    @TempDir
    static Path DIR;

    private static Path write(String name, byte[] data) {
        try {
            return Files.write(DIR.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void jsonl(byte[] data) {
        try {
            JsonlDataset.read("fuzz.jsonl", new ByteArrayInputStream(data), JsonlDataset.Fields.of("text", "label"));
        } catch (ScalpelException refused) {
            // refused with the line's number
        }
    }

    /** Raw mail as the SpamAssassin corpus stores it: any bytes, read as Latin-1 so that every byte is a char. */
    @FuzzTest(maxDuration = "10m")
    void mimeMail(byte[] data) {
        try {
            MailText mail = MimeMail.parse(new String(data, StandardCharsets.ISO_8859_1));
            mail.subject();
            mail.body();
        } catch (ScalpelException refused) {
            // a mail that cannot be read at all
        }
    }
}
