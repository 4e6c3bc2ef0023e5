package dev.scalpel.interpret.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by np.savez (stored) and np.savez_compressed (deflated), and broken ones. */
class NpzReaderTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stored.npz", "deflated.npz"})
    void readsEveryArrayInArchiveOrder(String name) {
        Map<String, NpyArray> arrays = NpzReader.readAll(NpyReaderTest.fixture(name));
        assertEquals(List.of("weights", "counts", "scalar"), List.copyOf(arrays.keySet()));
        NpyArray weights = arrays.get("weights");
        assertArrayEquals(new long[] {2, 3}, weights.shape());
        assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, weights.toFloats());
        assertArrayEquals(new long[] {1, 2, 3, 4}, arrays.get("counts").toLongs());
        assertArrayEquals(new double[] {2.5}, arrays.get("scalar").toDoubles());
        assertEquals(0, arrays.get("scalar").rank());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"truncated.npz", "not_a_zip.npz"})
    void refusesWhatIsNotAZip(String name) {
        Path f = NpyReaderTest.fixture(name);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpzReader.open(f));
        assertTrue(e.getMessage().startsWith(f + ": not a readable zip archive"), e.getMessage());
    }

    @Test
    void namesTheMissingArrayAndListsThePresentOnes() {
        try (NpzReader npz = NpzReader.open(NpyReaderTest.fixture("stored.npz"))) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("threshold"));
            assertTrue(e.getMessage().contains("stored.npz: no array named 'threshold' (the archive holds [weights,"
                    + " counts, scalar])"), e.getMessage());
        }
    }

    @Test
    void detectsCorruptionThroughTheCrc(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(NpyReaderTest.fixture("stored.npz"));
        // The first entry's data starts after its .npy header, which ends with the first newline of the archive.
        int dataStart = new String(bytes, StandardCharsets.ISO_8859_1).indexOf('\n') + 1;
        bytes[dataStart] ^= 0x55;
        Path f = dir.resolve("flipped.npz");
        Files.write(f, bytes);
        try (NpzReader npz = NpzReader.open(f)) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("weights"));
            assertEquals(f + " (entry weights.npy): CRC mismatch: the archive is corrupt", e.getMessage());
            assertEquals("weights.npy", e.entry());
            assertArrayEquals(new long[] {1, 2, 3, 4}, npz.read("counts").toLongs());
        }
    }

    @Test
    void namesTheEntryThatIsNotAnArray(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mixed.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("notes.npy"));
            zip.write("hello".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        try (NpzReader npz = NpzReader.open(f)) {
            assertEquals(List.of("notes"), npz.names());
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("notes"));
            assertTrue(e.getMessage().startsWith(f + " (entry notes.npy): not a .npy file"), e.getMessage());
        }
    }

    @Test
    void reportsATruncatedEntry(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(NpyReaderTest.fixture("f4_2d.npy"));
        Path f = dir.resolve("short.npz");
        try (OutputStream out = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(whole, 0, whole.length - 4);
            zip.closeEntry();
        }
        try (NpzReader npz = NpzReader.open(f)) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("x"));
            assertTrue(e.getMessage().contains("(entry x.npy): truncated: shape [3, 4] of <f4 needs 48 data bytes but"
                    + " only 44 follow"), e.getMessage());
        }
    }
}
