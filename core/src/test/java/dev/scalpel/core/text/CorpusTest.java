package dev.scalpel.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a corpus file means: lines or documents as the caller states, JSON fields, gzip, folder order, errors, hash. */
class CorpusTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private Path gzip(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void aTextFileIsLinesOrOneDocumentAsTheCallerSays() throws IOException {
        Path f = write("a.txt", "\uFEFFfirst line\r\n\n  \nsecond line\n");
        assertEquals(List.of("first line", "second line"), Corpus.read(f, Corpus.Reading.lines()).texts());
        // A document is the file exactly: byte-order mark, blank lines and line ends kept.
        assertEquals(List.of("\uFEFFfirst line\r\n\n  \nsecond line\n"), Corpus.read(f, Corpus.Reading.documents()).texts());
        assertEquals("a.txt", Corpus.read(f, Corpus.Reading.lines()).name());
    }

    @Test
    void jsonLinesHoldOneTextPerLineInTheNamedFieldWhateverTheUnit() throws IOException {
        Path f = write("d.jsonl", "{\"content\": \"third\", \"id\": 1}\n\n{\"content\": \"fourth \\u00e9\"}\n");
        for (Corpus.Reading r : List.of(Corpus.Reading.lines(), Corpus.Reading.documents())) {
            assertEquals(List.of("third", "fourth \u00e9"), Corpus.read(f, r.withField("content")).texts(), r.toString());
        }
        Path text = write("t.jsonl", "{\"text\": \"default field\"}\n");
        assertEquals(List.of("default field"), Corpus.read(text, Corpus.Reading.lines()).texts());
    }

    @Test
    void gzipIsReadWhereverItOccurs() throws IOException {
        Path gz = gzip("c.jsonl.gz", "{\"text\": \"fifth\"}\n{\"text\": \"sixth\"}\n");
        assertEquals(List.of("fifth", "sixth"), Corpus.read(gz, Corpus.Reading.lines()).texts());
        // Recognized by its bytes, so a compressed file under a plain name reads too.
        Path misnamed = gzip("m.txt", "one\ntwo\n");
        assertEquals(List.of("one", "two"), Corpus.read(misnamed, Corpus.Reading.lines()).texts());
        assertEquals(List.of("one\ntwo\n"), Corpus.read(misnamed, Corpus.Reading.documents()).texts());
    }

    @Test
    void aFolderIsReadRecursivelyInPathOrderAndItsHashIsTheOneC0CachesAreKeyedBy() throws IOException {
        write("corpus/b.txt", "\uFEFFsecond doc\r\nline two\n");
        write("corpus/a.jsonl", "{\"text\": \"one\"}\n\n{\"text\": \"two\", \"x\": 1}\n");
        write("corpus/a/z.txt", "z doc");
        write("corpus/empty.txt", "");
        write("corpus/sub/c.txt", "nested");
        write("corpus/notes.md", "not part of the corpus");
        Corpus c = Corpus.read(dir.resolve("corpus"), Corpus.Reading.documents());
        // Path order: "a.jsonl" sorts before "a/z.txt" ('.' < '/'), as edit's C0 reader walked it.
        List<String> expected = List.of("one", "two", "z doc", "\uFEFFsecond doc\r\nline two\n", "", "nested");
        assertEquals(expected, c.texts());
        assertEquals("corpus", c.name());
        assertEquals(Sha256.ofTexts(expected), c.hash());
        // Pinned: the SHA-256 of each text's UTF-8 then a NUL, computed outside Java. A change here invalidates every
        // cached C0.
        assertEquals("5a705a6dd4defaada095532ed3cdd6d73224261f042f346ec945e30d946272a6", c.hash());
        assertEquals(c.hash(), Corpus.read(dir.resolve("corpus"), Corpus.Reading.documents()).hash(), "read again");
        assertEquals(c.hash(), Corpus.of("other name", expected).hash());

        List<String> lines = Corpus.read(dir.resolve("corpus"), Corpus.Reading.lines()).texts();
        assertEquals(List.of("one", "two", "z doc", "second doc", "line two", "nested"), lines);
        assertNotEquals(c.hash(), Corpus.of("corpus", lines).hash());
    }

    @Test
    void malformedJsonLinesNameTheFileAndLine() throws IOException {
        Path f = write("bad.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"broken, \"x\": 1}\n");
        ScalpelException e = assertThrows(ScalpelException.class, () -> Corpus.read(f, Corpus.Reading.lines()));
        assertTrue(e.getMessage().startsWith(f + ": line 3: not valid JSON"), e.getMessage());

        Path missing = write("missing.jsonl", "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(missing, Corpus.Reading.documents()));
        assertEquals(missing + ": line 2: no text field \"text\" (the line has [body])", e.getMessage());

        Path number = write("number.jsonl", "{\"text\": 3}\n");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(number, Corpus.Reading.lines()));
        assertEquals(number + ": line 1: no text field \"text\" (it is number)", e.getMessage());

        Path array = write("array.jsonl", "[1, 2]\n");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(array, Corpus.Reading.lines()));
        assertEquals(array + ": line 1: expected a JSON object, found array", e.getMessage());

        // Inside a folder the message still names the file that is wrong.
        write("folder/a.txt", "fine\n");
        Path inFolder = write("folder/b.jsonl", "{\"text\": \"ok\"}\nnot json\n");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(dir.resolve("folder"), Corpus.Reading.lines()));
        assertTrue(e.getMessage().startsWith(inFolder + ": line 2: not valid JSON"), e.getMessage());
    }

    @Test
    void blankLinesAreRefusedWhereTextNMustBeLineN() throws IOException {
        Path text = write("blank.txt", "first\n\nthird\n");
        ScalpelException e = assertThrows(ScalpelException.class,
                () -> Corpus.read(text, Corpus.Reading.lines().refusingBlankLines()));
        assertTrue(e.getMessage().startsWith(text + ": line 2 is blank"), e.getMessage());
        Path json = write("blank.jsonl", "{\"text\": \"a\"}\n\n{\"text\": \"b\"}\n");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(json, Corpus.Reading.lines().refusingBlankLines()));
        assertTrue(e.getMessage().startsWith(json + ": line 2 is blank"), e.getMessage());
        Path trailing = write("trailing.txt", "first\nsecond\n");
        assertEquals(List.of("first", "second"),
                Corpus.read(trailing, Corpus.Reading.lines().refusingBlankLines()).texts());
    }

    @Test
    void emptyMissingAndUndecodableInputsAreErrors() throws IOException {
        Path blank = write("blank.txt", "\n \n");
        ScalpelException e = assertThrows(ScalpelException.class, () -> Corpus.read(blank, Corpus.Reading.lines()));
        assertTrue(e.getMessage().startsWith(blank + ": no texts"), e.getMessage());

        Path none = dir.resolve("none.txt");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(none, Corpus.Reading.lines()));
        assertEquals(none + ": no such file or folder", e.getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        for (Corpus.Reading r : List.of(Corpus.Reading.lines(), Corpus.Reading.documents())) {
            e = assertThrows(ScalpelException.class, () -> Corpus.read(latin1, r));
            assertEquals(latin1 + ": not valid UTF-8 text", e.getMessage());
        }

        write("other/notes.md", "ignored");
        e = assertThrows(ScalpelException.class, () -> Corpus.read(dir.resolve("other"), Corpus.Reading.lines()));
        assertEquals(dir.resolve("other") + ": no .txt, .jsonl or .jsonl.gz files in this folder", e.getMessage());
    }
}
