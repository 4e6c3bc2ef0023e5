package dev.scalpel.core.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The writer reproduces numpy's own files byte for byte, so np.load reads what Scalpel writes. */
class NpyWriterTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f4_2d.npy", "f2_1d.npy", "f8_0d.npy", "i4_2d.npy", "i8_1d.npy", "u1_1d.npy", "b1_1d.npy",
        "f4_empty.npy"})
    void writesWhatNumpyWrites(String name) throws IOException {
        Path f = NpyReaderTest.fixture(name);
        assertArrayEquals(Files.readAllBytes(f), NpyWriter.toBytes(NpyReader.read(f)));
    }

    @Test
    void writesFilesThatReadBack(@TempDir Path dir) {
        NpyArray a = NpyArray.ofFloats(new long[] {2, 2, 3}, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -0f});
        Path f = dir.resolve("a.npy");
        NpyWriter.write(f, a);
        NpyArray back = NpyReader.read(f);
        assertArrayEquals(a.shape(), back.shape());
        assertArrayEquals(a.toFloats(), back.toFloats());
    }

    @Test
    void writesStoredAndDeflatedArchives(@TempDir Path dir) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W_enc", NpyArray.ofFloats(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        arrays.put("b_dec", NpyArray.ofFloats(new long[] {2}, new float[] {-1, 1}));
        for (boolean deflate : new boolean[] {false, true}) {
            Path f = dir.resolve(deflate + ".npz");
            NpyWriter.writeNpz(f, arrays, deflate);
            try (ZipFile zip = new ZipFile(f.toFile())) {
                assertEquals(deflate ? ZipEntry.DEFLATED : ZipEntry.STORED, zip.getEntry("W_enc.npy").getMethod());
            }
            Map<String, NpyArray> back = NpzReader.readAll(f);
            assertEquals(List.of("W_enc", "b_dec"), List.copyOf(back.keySet()));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.get("W_enc").toFloats());
            assertArrayEquals(new long[] {2, 3}, back.get("W_enc").shape());
            assertArrayEquals(new float[] {-1, 1}, back.get("b_dec").toFloats());
        }
    }
}
