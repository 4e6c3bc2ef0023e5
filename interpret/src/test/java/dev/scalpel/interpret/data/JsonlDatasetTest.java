package dev.scalpel.interpret.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesWithChosenFields() throws Exception {
        String lines = """
                {"body": "first text", "y": 1, "group": "a", "id": "x1"}

                {"body": "second \\u00e9", "y": true}
                """;
        Path plain = Files.writeString(dir.resolve("d.jsonl"), lines);
        Path gz = dir.resolve("d.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        for (Path p : List.of(plain, gz)) {
            List<LabeledText> d = JsonlDataset.read(p, "body", "y");
            assertEquals(2, d.size());
            assertEquals(new LabeledText("x1", "first text", "1", "a"), d.get(0));
            assertEquals(new LabeledText("line 3", "second é", "true", null), d.get(1));
        }
    }

    @Test
    void aMalformedLineNamesTheFileAndLine() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\", \"label\": \"a\"}\n"
                + "{\"text\": \"ok\", \"label\": \"b\"}\n{\"text\": \"broken, \"label\": \"a\"}\n");
        ScalpelException e = assertThrows(ScalpelException.class, () -> JsonlDataset.read(f, "text", "label"));
        assertTrue(e.getMessage().startsWith(f + ": line 3: not valid JSON"), e.getMessage());
    }

    @Test
    void missingFieldsAndNonObjectsAreErrors() throws Exception {
        Path missing = Files.writeString(dir.resolve("m.jsonl"), "{\"text\": \"ok\", \"label\": \"a\"}\n"
                + "{\"txt\": \"ok\", \"label\": \"a\"}\n");
        ScalpelException e = assertThrows(ScalpelException.class, () -> JsonlDataset.read(missing, "text", "label"));
        assertEquals(missing + ": line 2: no field 'text' (the line has [txt, label])", e.getMessage());
        Path array = Files.writeString(dir.resolve("a.jsonl"), "[1, 2]\n");
        e = assertThrows(ScalpelException.class, () -> JsonlDataset.read(array, "text", "label"));
        assertEquals(array + ": line 1: expected a JSON object, found array", e.getMessage());
        Path nested = Files.writeString(dir.resolve("n.jsonl"), "{\"text\": {\"a\": 1}, \"label\": \"a\"}\n");
        e = assertThrows(ScalpelException.class, () -> JsonlDataset.read(nested, "text", "label"));
        assertTrue(e.getMessage().contains("line 1: field 'text' is a object"), e.getMessage());
        Path none = dir.resolve("none.jsonl");
        e = assertThrows(ScalpelException.class, () -> JsonlDataset.read(none, "text", "label"));
        assertEquals(none + ": no such file", e.getMessage());
    }

    @Test
    void groupFieldCanBeIgnored() throws Exception {
        Path f = Files.writeString(dir.resolve("g.jsonl"), "{\"text\": \"t\", \"label\": \"a\", \"group\": \"g\"}\n");
        assertNull(JsonlDataset.read(f, new JsonlDataset.Fields("text", "label", null, null)).getFirst().group());
    }
}
