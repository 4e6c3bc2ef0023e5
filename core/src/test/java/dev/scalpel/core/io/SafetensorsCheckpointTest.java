package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening model folders: single file, sharded through an index, and the refusals. */
class SafetensorsCheckpointTest {
    private static final String INDEX = "model.safetensors.index.json";
    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private void writeShards() {
        SafetensorsWriter.write(dir.resolve(SHARD1), List.of(
                SafetensorsWriter.f32("embed.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4}),
                SafetensorsWriter.f32("layer.0.weight", new long[] {2}, new float[] {5, 6})), Map.of("format", "pt", "shard", "1"));
        SafetensorsWriter.write(dir.resolve(SHARD2), List.of(
                SafetensorsWriter.bf16("layer.1.weight", new long[] {3}, new float[] {7, 8, 9}),
                SafetensorsWriter.i64("position_ids", new long[] {1, 3}, new long[] {0, 1, 2})), Map.of("format", "pt", "shard", "2"));
    }

    private void writeIndex(String weightMap) throws IOException {
        Files.writeString(dir.resolve(INDEX), "{\"metadata\":{\"total_size\":54},\"weight_map\":{" + weightMap + "}}");
    }

    private static final String FULL_MAP = "\"embed.weight\":\"" + SHARD1 + "\",\"layer.0.weight\":\"" + SHARD1 + "\","
            + "\"layer.1.weight\":\"" + SHARD2 + "\",\"position_ids\":\"" + SHARD2 + "\"";

    private CheckpointFormatException refusal(Path folder, String... fragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(folder));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "mentions '" + fragment + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void shardedCheckpointServesEveryTensorThroughTheIndex() throws IOException {
        writeShards();
        // Index order differs from shard order on purpose: names() follows the index.
        writeIndex("\"position_ids\":\"" + SHARD2 + "\",\"embed.weight\":\"" + SHARD1 + "\","
                + "\"layer.1.weight\":\"" + SHARD2 + "\",\"layer.0.weight\":\"" + SHARD1 + "\"");
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertEquals(List.of("position_ids", "embed.weight", "layer.1.weight", "layer.0.weight"), checkpoint.names());
            assertArrayEquals(new float[] {1, 2, 3, 4}, checkpoint.toFloats("embed.weight"));
            assertArrayEquals(new float[] {5, 6}, checkpoint.toFloats("layer.0.weight"));
            assertArrayEquals(new float[] {7, 8, 9}, checkpoint.toFloats("layer.1.weight"));
            assertArrayEquals(new long[] {0, 1, 2}, checkpoint.toLongs("position_ids"));
            MemorySegment embed = checkpoint.segment("embed.weight");
            assertEquals(4f, embed.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, 3));
            assertEquals(DType.BF16, checkpoint.info("layer.1.weight").dtype());
            assertEquals(dir.resolve(SHARD2), checkpoint.fileOf("position_ids"));
            assertEquals(dir.resolve(SHARD1), checkpoint.fileOf("embed.weight"));
            assertEquals(List.of(dir.resolve(SHARD1), dir.resolve(SHARD2)), checkpoint.files());
            assertEquals(Map.of("format", "pt", "shard", "1"), checkpoint.metadata());
            assertEquals(dir.resolve(INDEX), checkpoint.source());
            assertTrue(checkpoint.contains("layer.0.weight"));
            assertFalse(checkpoint.contains("lm_head.weight"));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.info("lm_head.weight"));
            assertTrue(e.getMessage().contains("'lm_head.weight'") && e.getMessage().contains(INDEX), e.getMessage());
        }
    }

    @Test
    void indexIsPreferredOverASingleModelFile() throws IOException {
        writeShards();
        writeIndex(FULL_MAP);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), List.of(
                SafetensorsWriter.f32("stale", new long[] {1}, new float[] {0})), null);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertFalse(checkpoint.contains("stale"));
            assertEquals(4, checkpoint.names().size());
        }
    }

    @Test
    void singleModelFileOpensWithoutAnIndex() {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), List.of(
                SafetensorsWriter.f32("w", new long[] {2}, new float[] {1, 2}),
                SafetensorsWriter.i32("n", new long[] {1}, new int[] {3})), Map.of("format", "pt"));
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertEquals(List.of("w", "n"), checkpoint.names());
            assertArrayEquals(new float[] {1, 2}, checkpoint.toFloats("w"));
            assertEquals(dir.resolve("model.safetensors"), checkpoint.fileOf("n"));
            assertEquals(Map.of("format", "pt"), checkpoint.metadata());
        }
    }

    @Test
    void openFileTreatsAnySafetensorsFileAsAWholeCheckpoint() {
        Path path = dir.resolve("adapter_model.safetensors");
        SafetensorsWriter.write(path, List.of(SafetensorsWriter.f32("lora_A", new long[] {1}, new float[] {9})), null);
        try (Checkpoint checkpoint = Checkpoint.openFile(path)) {
            assertEquals(List.of("lora_A"), checkpoint.names());
            assertEquals(path, checkpoint.fileOf("lora_A"));
            assertTrue(checkpoint.metadata().isEmpty());
        }
    }

    @Test
    void missingShardFailsNamingTheShardAndTheIndex() throws IOException {
        writeShards();
        Files.delete(dir.resolve(SHARD2));
        writeIndex(FULL_MAP);
        CheckpointFormatException e = refusal(dir, SHARD2, "missing", INDEX);
        assertEquals(dir.resolve(INDEX), e.file());
    }

    @Test
    void indexMappingATensorToAShardWithoutItFails() throws IOException {
        writeShards();
        writeIndex(FULL_MAP + ",\"lm_head.weight\":\"" + SHARD2 + "\"");
        refusal(dir, "'lm_head.weight'", SHARD2, "does not contain it", INDEX);
    }

    @Test
    void indexThatIsNotValidJsonFails() throws IOException {
        writeShards();
        Files.writeString(dir.resolve(INDEX), "{\"weight_map\":{\"embed.weight\":");
        refusal(dir, INDEX, "not valid JSON");
    }

    @Test
    void indexWithoutAWeightMapFails() throws IOException {
        writeShards();
        Files.writeString(dir.resolve(INDEX), "{\"metadata\":{}}");
        refusal(dir, INDEX, "weight_map");
    }

    @Test
    void indexShardNameEscapingTheFolderIsRefused() throws IOException {
        Path inner = Files.createDirectory(dir.resolve("model"));
        SafetensorsWriter.write(dir.resolve("outside.safetensors"), List.of(
                SafetensorsWriter.f32("w", new long[] {1}, new float[] {1})), null);
        Files.writeString(inner.resolve(INDEX), "{\"weight_map\":{\"w\":\"../outside.safetensors\"}}");
        refusal(inner, "'../outside.safetensors'", "not a plain file name");
    }

    @Test
    void brokenShardFailsNamingTheShard() throws IOException {
        writeShards();
        Files.write(dir.resolve(SHARD2), new byte[] {1, 2, 3});
        writeIndex(FULL_MAP);
        CheckpointFormatException e = refusal(dir, SHARD2, "truncated");
        assertEquals(dir.resolve(SHARD2), e.file());
    }

    @Test
    void folderWithOnlyAPickleCheckpointIsRefused() throws IOException {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 0x02, 'c', 'o', 's'});
        Files.writeString(dir.resolve("config.json"), "{}");
        CheckpointFormatException e = refusal(dir, "pytorch_model.bin", "pickle", "refused", "never deserialized",
                "convert to safetensors");
        assertEquals(dir, e.file());
    }

    @Test
    void otherPickleSuffixesAreRefusedToo() throws IOException {
        for (String name : List.of("weights.pt", "model.pth", "last.ckpt")) {
            Files.write(dir.resolve(name), new byte[0]);
        }
        refusal(dir, "last.ckpt", "model.pth", "weights.pt", "pickle");
    }

    /**
     * A FIFO blocks whoever opens it for reading until a writer appears, so finishing promptly proves
     * the refusal looked at the name only and never opened the pickle file.
     */
    @Test
    void pickleFileIsNeverOpened() throws Exception {
        Path fifo = dir.resolve("pytorch_model.bin");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made && Files.exists(fifo) && !Files.isRegularFile(fifo), "mkfifo is unavailable");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(dir, "pytorch_model.bin", "pickle"));
    }

    @Test
    void emptyFolderFailsNamingTheFolder() {
        CheckpointFormatException e = refusal(dir, dir.toString(), "model.safetensors", INDEX);
        assertEquals(dir, e.file());
    }

    @Test
    void folderWithOtherSafetensorsFilesPointsToOpenFile() {
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), List.of(
                SafetensorsWriter.f32("w", new long[] {1}, new float[] {1})), null);
        Path bin = dir.resolve("training_args.bin");
        RawSafetensors.write(dir, bin.getFileName().toString(), new byte[] {1});
        refusal(dir, "adapter_model.safetensors", "openFile");
    }

    @Test
    void missingFolderIsNamed() {
        Path missing = dir.resolve("nope");
        refusal(missing, missing.toString(), "no such folder");
    }

    @Test
    void closingUnmapsEveryShard() throws IOException {
        writeShards();
        writeIndex(FULL_MAP);
        MemorySegment first;
        MemorySegment second;
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            first = checkpoint.segment("embed.weight");
            second = checkpoint.segment("position_ids");
        }
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
        assertThrows(IllegalStateException.class, () -> second.get(ValueLayout.JAVA_BYTE, 0));
    }
}
