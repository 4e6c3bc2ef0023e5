package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract beyond layout: atomic replacement and refusal of inconsistent entries. */
class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private List<String> folderContents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path path = dir.resolve("model.safetensors");
        Files.writeString(path, "old contents");
        SafetensorsWriter.write(path, List.of(SafetensorsWriter.f32("w", new long[] {1}, new float[] {3})), null);
        assertEquals(List.of("model.safetensors"), folderContents());
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertArrayEquals(new float[] {3}, file.toFloats("w"));
        }
    }

    @Test
    void failedWriteLeavesThePreviousFileIntactAndNoTemporaryFile() throws IOException {
        Path path = dir.resolve("model.safetensors");
        Files.writeString(path, "previous");
        MemorySegment dead;
        try (Arena arena = Arena.ofConfined()) {
            dead = arena.allocate(8);
        }
        // The entry is consistent, but its memory is gone by the time the data is copied.
        SafetensorsWriter.Entry entry = new SafetensorsWriter.Entry("w", DType.F32, new long[] {2}, dead);
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(path, List.of(entry), null));
        assertEquals("previous", Files.readString(path));
        assertEquals(List.of("model.safetensors"), folderContents());
    }

    @Test
    void entryWhoseBytesDoNotMatchShapeTimesDtypeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter.Entry("w", DType.F32, new long[] {3}, MemorySegment.ofArray(new byte[8])));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("12") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.f32("w", new long[] {2, 2}, new float[3]));
    }

    @Test
    void negativeDimensionInAnEntryIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter.Entry("w", DType.U8, new long[] {-1}, MemorySegment.ofArray(new byte[0])));
    }

    @Test
    void duplicateTensorNamesAreRefused() {
        Path path = dir.resolve("dup.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(path, List.of(
                SafetensorsWriter.f32("w", new long[] {1}, new float[] {1}),
                SafetensorsWriter.f32("w", new long[] {1}, new float[] {2})), null));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertTrue(Files.notExists(path));
    }

    @Test
    void metadataKeyIsRefusedAsATensorName() {
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(dir.resolve("m.safetensors"),
                List.of(SafetensorsWriter.f32("__metadata__", new long[] {1}, new float[] {1})), null));
    }

    @Test
    void emptyMetadataIsOmittedFromTheHeader() throws IOException {
        Path path = dir.resolve("m.safetensors");
        SafetensorsWriter.write(path, List.of(), Map.of());
        assertEquals("{}      ", new String(Files.readAllBytes(path), 8, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void entriesCanBeCopiedStraightFromAMappedFile() {
        Path source = dir.resolve("a.safetensors");
        Path copy = dir.resolve("b.safetensors");
        SafetensorsWriter.write(source, List.of(SafetensorsWriter.f16("h", new long[] {2}, new float[] {1, -2})), Map.of("k", "v"));
        try (SafetensorsFile in = SafetensorsFile.open(source)) {
            TensorInfo info = in.info("h");
            SafetensorsWriter.write(copy, List.of(new SafetensorsWriter.Entry("h", info.dtype(), info.shape(), in.segment("h"))),
                    in.metadata());
        }
        try (SafetensorsFile out = SafetensorsFile.open(copy)) {
            assertArrayEquals(new float[] {1, -2}, out.toFloats("h"));
            assertEquals(Map.of("k", "v"), out.metadata());
        }
    }
}
