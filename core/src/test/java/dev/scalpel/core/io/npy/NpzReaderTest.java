package dev.scalpel.core.io.npy;

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

    /** The size the central directory records, patched: numpy's archive, but with a lie about one entry. */
    private static byte[] withRecordedSize(byte[] zip, long size) {
        byte[] out = zip.clone();
        for (int i = out.length - 46; i >= 0; i--) {
            if (out[i] == 0x50 && out[i + 1] == 0x4b && out[i + 2] == 0x01 && out[i + 3] == 0x02) {
                java.nio.ByteBuffer.wrap(out, i + 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) size);
                return out;
            }
        }
        throw new AssertionError("no central directory entry");
    }

    @Test
    void refusesAnEntryClaimingMoreThanDeflateCanExpandBeforeInflatingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bomb.npz");
        NpyWriter.writeNpz(f, Map.of("x", NpyArray.ofFloats(new long[] {4}, new float[] {1, 2, 3, 4})), true);
        Files.write(f, withRecordedSize(Files.readAllBytes(f), 2_000_000_000L));
        try (NpzReader npz = NpzReader.open(f)) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("x"));
            assertTrue(e.getMessage().contains("(entry x.npy): claims 2000000000 bytes from")
                    && e.getMessage().contains("zip bomb"), e.getMessage());
        }
    }

    @Test
    void neverInflatesPastTheRecordedSize(@TempDir Path dir) throws IOException {
        byte[] npy = NpyWriter.toBytes(NpyArray.ofFloats(new long[] {64}, new float[64]));
        Path f = dir.resolve("longer.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(npy);
            zip.write(new byte[4096]);   // more data than the size the archive will record
            zip.closeEntry();
        }
        Files.write(f, withRecordedSize(Files.readAllBytes(f), npy.length));
        try (NpzReader npz = NpzReader.open(f)) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> npz.read("x"));
            assertTrue(e.getMessage().contains("(entry x.npy): inflates to more bytes than the archive records"),
                    e.getMessage());
        }
    }

    @Test
    void aShapeLargerThanTheEntryIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        // 10^12 doubles (8 TB) declared in a header followed by eight bytes.
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        String padded = header + " ".repeat(pad) + "\n";
        java.io.ByteArrayOutputStream npy = new java.io.ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        npy.write(padded.length() & 0xFF);
        npy.write(padded.length() >> 8);
        npy.write(padded.getBytes(StandardCharsets.ISO_8859_1));
        npy.write(new byte[8]);
        Path plain = dir.resolve("huge.npy");
        Files.write(plain, npy.toByteArray());
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(plain));
        assertTrue(e.getMessage().contains("needs 8000000000000 data bytes but only 8 follow the header"), e.getMessage());

        Path f = dir.resolve("huge.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(npy.toByteArray());
            zip.closeEntry();
        }
        try (NpzReader npz = NpzReader.open(f)) {
            NpyFormatException z = assertThrows(NpyFormatException.class, () -> npz.read("x"));
            assertTrue(z.getMessage().contains("(entry x.npy): truncated: shape [1000000000000] of <f8 needs"
                    + " 8000000000000 data bytes but only 8 follow the header"), z.getMessage());
        }
    }
}
