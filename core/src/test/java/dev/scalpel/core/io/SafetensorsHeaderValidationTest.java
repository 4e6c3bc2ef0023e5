package dev.scalpel.core.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per way a header can be broken; each message must name the file and the fault. */
class SafetensorsHeaderValidationTest {
    @TempDir
    Path dir;

    private static final String OK_ENTRY = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private CheckpointFormatException refused(byte[] bytes, String... expectedFragments) {
        Path path = RawSafetensors.write(dir, "bad.safetensors", bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(path));
        assertTrue(e.getMessage().contains(path.toString()), "names the file: " + e.getMessage());
        assertTrue(path.equals(e.file()), "file(): " + e.file());
        for (String fragment : expectedFragments) {
            assertTrue(e.getMessage().contains(fragment), "mentions '" + fragment + "': " + e.getMessage());
        }
        return e;
    }

    private CheckpointFormatException refused(String header, int dataBytes, String... expectedFragments) {
        return refused(RawSafetensors.file(header, dataBytes), expectedFragments);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7})
    void fileShorterThanEightBytesIsTruncated(int size) {
        refused(new byte[size], "truncated");
    }

    @Test
    void headerLengthPastTheEndOfTheFile() {
        refused(RawSafetensors.withPrefix(64, "{}".getBytes(StandardCharsets.US_ASCII)), "header length past the end", "64");
    }

    @Test
    void absurdHeaderLength() {
        refused(RawSafetensors.withPrefix(100_000_001L, new byte[16]), "absurd header length", "100000001");
    }

    @Test
    void headerLengthAboveTwoToTheSixtyThreeIsAbsurd() {
        refused(RawSafetensors.withPrefix(-1L, new byte[16]), "absurd header length", "18446744073709551615");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("missing.safetensors");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void headerNotValidUtf8() {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        refused(RawSafetensors.file(header, new byte[0]), "not valid UTF-8");
    }

    @Test
    void headerNotValidJson() {
        refused("{\"a\":{\"dtype\":\"F32\",", 0, "not valid JSON");
    }

    @Test
    void headerNotAJsonObject() {
        refused("[1,2,3] ", 0, "not a JSON object");
    }

    @Test
    void emptyHeaderIsNotAJsonObject() {
        refused("        ", 0, "not a JSON object");
    }

    @Test
    void trailingGarbageAfterTheHeaderObjectIsNotValidJson() {
        refused("{} {}", 0, "not valid JSON");
    }

    @Test
    void duplicateTensorNameIsNotValidJson() {
        refused("{\"w\":" + OK_ENTRY + ",\"w\":" + OK_ENTRY + "}", 8, "not valid JSON", "w");
    }

    @Test
    void entryThatIsNotAnObject() {
        refused("{\"w\":[1,2]}", 0, "'w'", "not an object with dtype, shape and data_offsets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void entryMissingAField(String field) {
        String entry = switch (field) {
            case "dtype" -> "{\"shape\":[2],\"data_offsets\":[0,8]}";
            case "shape" -> "{\"dtype\":\"F32\",\"data_offsets\":[0,8]}";
            default -> "{\"dtype\":\"F32\",\"shape\":[2]}";
        };
        refused("{\"w\":" + entry + "}", 8, "'w'", "no '" + field + "'");
    }

    @Test
    void unknownDtypeIsNamed() {
        refused("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "unknown dtype 'F8_E4M3'", "'w'");
    }

    @Test
    void negativeDimension() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-3],\"data_offsets\":[0,8]}}", 8, "negative dimension -3", "'w'");
    }

    @Test
    void nonIntegerDimension() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "shape holds 2.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[0]", "[0,8,16]", "{\"begin\":0}", "[0,\"8\"]", "[0,99999999999999999999999]"})
    void dataOffsetsNotAPairOfIntegers(String offsets) {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":" + offsets + "}}", 8, "'w'", "data_offsets");
    }

    @Test
    void dataOffsetsBeginAfterEnd() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8, "'w'", "[8,4]", "begin <= end");
    }

    @Test
    void negativeDataOffsetBegin() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8, "'w'", "0 <= begin");
    }

    @Test
    void shapeTimesDtypeSizeDiffersFromOffsetSpan() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 12,
                "'w'", "needs 12 bytes", "span 8 bytes");
    }

    @Test
    void shapeWhoseByteSizeOverflowsIsRefused() {
        refused("{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, "'w'", "overflows");
    }

    @Test
    void spanPastTheEndOfTheDataSectionIsOutOfRange() {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 12, "'w'", "out of range", "12 bytes");
    }

    @Test
    void overlappingSpansNameBothTensors() {
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "'a'", "'b'", "overlap");
    }

    @Test
    void spanContainedInALongerEarlierSpanOverlaps() {
        refused("{\"big\":{\"dtype\":\"U8\",\"shape\":[10],\"data_offsets\":[0,10]},"
                + "\"mid\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[5,6]},"
                + "\"tail\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}", 10, "'big'", "overlap");
    }

    @Test
    void metadataValueThatIsNotAString() {
        refused("{\"__metadata__\":{\"format\":\"pt\",\"step\":12}}", 0, "__metadata__", "'step'", "not a string");
    }

    @Test
    void metadataThatIsNotAnObject() {
        refused("{\"__metadata__\":\"pt\"}", 0, "__metadata__", "not a JSON object");
    }
}
