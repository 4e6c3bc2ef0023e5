package dev.scalpel.interpret.harvest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarvestTextDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsTextLinesJsonLinesAndGzippedJsonLinesInNameOrder() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "\uFEFFfirst line\n\n  \nsecond line\n");
        Files.writeString(dir.resolve("b.jsonl"), "{\"content\": \"third\", \"id\": 1}\n{\"content\": \"fourth\"}\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("c.jsonl.gz")))) {
            out.write("{\"content\": \"fifth \\u00e9\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("notes.md"), "ignored");
        assertEquals(List.of("first line", "second line", "third", "fourth", "fifth \u00e9"),
                TextDataset.read(dir, "content"));
        assertEquals(List.of("third", "fourth"), TextDataset.read(dir.resolve("b.jsonl"), "content"));
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        ScalpelException e = assertThrows(ScalpelException.class, () -> TextDataset.read(f, "text"));
        assertTrue(e.getMessage().startsWith(f + ":2: no text field \"text\""), e.getMessage());
        Files.writeString(f, "not json\n");
        e = assertThrows(ScalpelException.class, () -> TextDataset.read(f, "text"));
        assertTrue(e.getMessage().startsWith(f + ":1: not a JSON object"), e.getMessage());
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,b\n");
        assertThrows(ScalpelException.class, () -> TextDataset.read(csv, "text"));
        Path blank = dir.resolve("blank.txt");
        Files.writeString(blank, "\n \n");
        e = assertThrows(ScalpelException.class, () -> TextDataset.read(blank, "text"));
        assertTrue(e.getMessage().contains("no texts"), e.getMessage());
    }
}
