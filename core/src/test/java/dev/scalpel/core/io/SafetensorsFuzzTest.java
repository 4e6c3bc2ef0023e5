package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded single-byte corruptions and truncations of a valid file's prefix and header: opening must
 * either succeed (and then serve every tensor) or throw CheckpointFormatException, never anything
 * else and never hang.
 */
class SafetensorsFuzzTest {
    private static final int CASES = 300;
    /** Bytes that steer mutations towards structurally interesting JSON rather than mere typos. */
    private static final byte[] JSON_BYTES = "{}[]\":,-0123456789eE. \\u".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void corruptedOrTruncatedHeadersOpenOrFailWithCheckpointFormatExceptionOnly() throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafetensorsWriter.write(valid, List.of(
                SafetensorsWriter.f32("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                SafetensorsWriter.bf16("b", new long[] {4}, new float[] {1, 2, 3, 4}),
                SafetensorsWriter.i64("c", new long[] {2}, new long[] {7, 8}),
                SafetensorsWriter.u8("d", new long[] {0}, new byte[0]),
                SafetensorsWriter.bool("e", new long[] {3}, new boolean[] {true, false, true})),
                Map.of("format", "pt"));
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = 8 + (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Path target = dir.resolve("fuzzed.safetensors");
            for (long seed = 0; seed < CASES; seed++) {
                Random random = new Random(seed);
                byte[] mutated;
                String mutation;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        int length = random.nextInt(headerEnd);
                        mutated = Arrays.copyOf(original, length);
                        mutation = "truncated to " + length + " bytes";
                    }
                    case 1 -> {
                        int at = random.nextInt(headerEnd);
                        mutated = original.clone();
                        mutated[at] = (byte) random.nextInt(256);
                        mutation = "byte " + at + " set to " + (mutated[at] & 0xFF);
                    }
                    default -> {
                        int at = random.nextInt(headerEnd);
                        mutated = original.clone();
                        mutated[at] = JSON_BYTES[random.nextInt(JSON_BYTES.length)];
                        mutation = "byte " + at + " set to '" + (char) mutated[at] + "'";
                    }
                }
                Files.write(target, mutated);
                try (SafetensorsFile file = SafetensorsFile.open(target)) {
                    for (String name : file.names()) {
                        assertEquals(file.info(name).byteSize(), file.segment(name).byteSize());
                        file.toFloats(name);
                    }
                } catch (CheckpointFormatException expected) {
                    // The only acceptable refusal.
                } catch (Throwable other) {
                    fail("seed " + seed + " (" + mutation + ") threw " + other, other);
                }
            }
        });
    }
}
