package dev.scalpel.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against files written by numpy 2.4 (tools/fixtures/sae_io_fixtures.py). */
class NpyReaderTest {

    static Path fixture(String name) {
        try {
            return Path.of(NpyReaderTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test fixture npy/" + name, e);
        }
    }

    /** np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1, the closed form of f4_2d*.npy. */
    static float[] f4Matrix() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i / 4f - 1f;
        }
        return v;
    }

    @Test
    void readsFloat32Matrix() {
        NpyArray a = NpyReader.read(fixture("f4_2d.npy"));
        assertEquals(NpyDType.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertArrayEquals(f4Matrix(), a.toFloats());
    }

    @Test
    void readsFormatVersionsTwoAndThree() {
        for (String name : new String[] {"f4_2d_v2.npy", "f4_2d_v3.npy"}) {
            NpyArray a = NpyReader.read(fixture(name));
            assertArrayEquals(new long[] {3, 4}, a.shape(), name);
            assertArrayEquals(f4Matrix(), a.toFloats(), name);
        }
    }

    @Test
    void readsHalfAndDoubleAndZeroDimensional() {
        NpyArray half = NpyReader.read(fixture("f2_1d.npy"));
        assertEquals(NpyDType.FLOAT16, half.dtype());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f}, half.toFloats());

        NpyArray scalar = NpyReader.read(fixture("f8_0d.npy"));
        assertEquals(NpyDType.FLOAT64, scalar.dtype());
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.elementCount());
        assertArrayEquals(new double[] {Math.PI}, scalar.toDoubles());
    }

    @Test
    void readsIntegersAndBools() {
        NpyArray i4 = NpyReader.read(fixture("i4_2d.npy"));
        assertArrayEquals(new long[] {2, 3}, i4.shape());
        assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2}, i4.toLongs());
        assertArrayEquals(new float[] {-3, -2, -1, 0, 1, 2}, i4.toFloats());

        assertArrayEquals(new long[] {-(1L << 40), -1, 0, (1L << 40) + 7}, NpyReader.read(fixture("i8_1d.npy")).toLongs());
        assertArrayEquals(new long[] {0, 1, 127, 128, 255}, NpyReader.read(fixture("u1_1d.npy")).toLongs());
        NpyArray bools = NpyReader.read(fixture("b1_1d.npy"));
        assertEquals(NpyDType.BOOL, bools.dtype());
        assertArrayEquals(new long[] {1, 0, 1}, bools.toLongs());
    }

    @Test
    void readsAnEmptyArray() {
        NpyArray a = NpyReader.read(fixture("f4_empty.npy"));
        assertArrayEquals(new long[] {0, 3}, a.shape());
        assertEquals(0, a.toFloats().length);
    }

    @Test
    void reordersFortranArraysToCOrder() {
        NpyArray two = NpyReader.read(fixture("f4_fortran_2d.npy"));
        assertArrayEquals(new long[] {2, 3}, two.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, two.toFloats());
        NpyArray three = NpyReader.read(fixture("f4_fortran_3d.npy"));
        assertArrayEquals(new long[] {2, 3, 4}, three.shape());
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++) {
            expected[i] = i;
        }
        assertArrayEquals(expected, three.toFloats());
    }

    @Test
    void refusesBigEndianWithAFix() {
        Path f = fixture("big_endian.npy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'>f4' is big-endian"), e.getMessage());
        assertTrue(e.getMessage().contains("astype('<f4')"), e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void refusesObjectArraysWithoutUnpickling() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(fixture("object.npy")));
        assertTrue(e.getMessage().contains("object.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("pickled Python objects"), e.getMessage());
    }

    @Test
    void refusesUnsupportedDtypesListingTheSupportedOnes() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(fixture("complex.npy")));
        assertTrue(e.getMessage().contains("complex.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("'<c8' is not supported (supported: <f2, <f4"), e.getMessage());
    }

    @Test
    void reportsTruncationWithTheByteCounts() {
        Path f = fixture("truncated.npy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated: shape [3, 4] of <f4 needs 48 data bytes but only 38 follow"),
                e.getMessage());
    }

    @Test
    void refusesBytesAfterTheData(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("long.npy");
        byte[] good = Files.readAllBytes(fixture("f4_2d.npy"));
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        Files.write(f, longer);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(f));
        assertTrue(e.getMessage().contains("long.npy: has bytes after the 48 data bytes"), e.getMessage());
    }

    @Test
    void pointsAnArchiveToTheNpzReader() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(fixture("stored.npz")));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
        assertTrue(e.getMessage().contains("NpzReader"), e.getMessage());
    }

    @Test
    void refusesHeadersNumpyWouldRefuse(@TempDir Path dir) throws IOException {
        Path missingKey = write(dir, "missing.npy", 1, "{'descr': '<f4', 'shape': (2,), }", 8);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(missingKey));
        assertTrue(e.getMessage().contains("missing.npy: the header has keys [descr, shape]"), e.getMessage());

        Path garbled = write(dir, "garbled.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,, }", 8);
        e = assertThrows(NpyFormatException.class, () -> NpyReader.read(garbled));
        assertTrue(e.getMessage().contains("garbled.npy: malformed header"), e.getMessage());

        Path structured = write(dir, "structured.npy", 1,
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8);
        e = assertThrows(NpyFormatException.class, () -> NpyReader.read(structured));
        assertTrue(e.getMessage().contains("structured (record) dtypes are not supported"), e.getMessage());

        Path version = write(dir, "version.npy", 4, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        e = assertThrows(NpyFormatException.class, () -> NpyReader.read(version));
        assertTrue(e.getMessage().contains("version.npy: unsupported .npy format version 4.0"), e.getMessage());

        Path python2 = write(dir, "python2.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", 8);
        assertArrayEquals(new long[] {2}, NpyReader.read(python2).shape());
    }

    @Test
    void namesAMissingFile(@TempDir Path dir) {
        Path f = dir.resolve("absent.npy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.read(f));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void refusesToRoundFloatsIntoIntegers() {
        NpyArray a = NpyReader.read(fixture("f4_2d.npy"));
        ScalpelException e = assertThrows(ScalpelException.class, a::toLongs);
        assertTrue(e.getMessage().contains("<f4"), e.getMessage());
    }

    /** A .npy image with a hand-written header (version 1 takes a 2-byte length, others 4) and zero data bytes. */
    private static Path write(Path dir, String name, int major, String dict, int dataBytes) throws IOException {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] out = new byte[8 + lengthBytes + header.length + dataBytes];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = (byte) major;
        out[8] = (byte) header.length;
        out[9] = (byte) (header.length >>> 8);
        System.arraycopy(header, 0, out, 8 + lengthBytes, header.length);
        Path f = dir.resolve(name);
        Files.write(f, out);
        return f;
    }
}
