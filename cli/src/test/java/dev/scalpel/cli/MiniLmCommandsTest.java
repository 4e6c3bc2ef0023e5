package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.embed.MiniLm;
import dev.scalpel.core.embed.SentenceEmbedder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code scalpel export minilm DIR} and {@code scalpel embed MODEL --input FILE [--json]}. */
class MiniLmCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "Ein Hund läuft im Park 🐕",
            "量子计算机使用量子比特。");

    @TempDir
    static Path dir;
    private static Path exported;
    private static List<float[]> expected;

    record Result(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    /** Runs a command as Main will once it registers it: ScalpelException means bad input, exit code 2. */
    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return e instanceof ScalpelException ? 2 : 1;
        });
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @BeforeAll
    static void exportOnce() {
        exported = dir.resolve("minilm");
        Result r = run(new ExportCommand(), "minilm", exported.toString());
        assertEquals(0, r.code(), r.err());
        try (SentenceEmbedder embedder = MiniLm.load()) {
            expected = embedder.embedAll(TEXTS);
        }
    }

    @Test
    void exportWritesAHuggingFaceFolderAndRefusesToOverwrite() {
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            assertTrue(Files.isRegularFile(exported.resolve(f)), f);
        }
        Result again = run(new ExportCommand(), "minilm", exported.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains(exported + ": the folder is not empty"), again.err());
        Result unknown = run(new ExportCommand(), "gpt5", dir.resolve("x").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown bundled model 'gpt5'; export knows: minilm"), unknown.err());
    }

    @Test
    void embedPrintsTheVectorsOfEveryLineAsJson() throws Exception {
        Path input = Files.write(dir.resolve("texts.txt"), TEXTS);
        Result r = run(new EmbedCommand(), exported.toString(), "--input", input.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 text(s) embedded, dimension 384"), r.out());
        JsonNode vectors = JSON.readTree(r.lastLine());
        assertEquals(3, vectors.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(384, vectors.get(i).size());
            for (int j = 0; j < 384; j++) {
                assertEquals(expected.get(i)[j], vectors.get(i).get(j).floatValue(), 1e-6f, "text " + i + " dim " + j);
            }
        }
        Result human = run(new EmbedCommand(), exported.toString(), "--input", input.toString(), "--batch-size", "1");
        assertEquals(0, human.code(), human.err());
        assertEquals(1, human.out().strip().split("\n").length, human.out());
    }

    @Test
    void embedResolvesTheNameMinilmToTheCachedExport(@TempDir Path cache) throws Exception {
        Path input = Files.write(cache.resolve("one.txt"), List.of(TEXTS.get(1)));
        String before = System.getProperty("scalpel.home");
        System.setProperty("scalpel.home", cache.toString());
        try {
            Result r = run(new EmbedCommand(), "minilm", "--input", input.toString(), "--json");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(cache.resolve("minilm") + ": 1 text(s) embedded"), r.out());
            JsonNode v = JSON.readTree(r.lastLine()).get(0);
            for (int j = 0; j < 384; j++) {
                assertEquals(expected.get(1)[j], v.get(j).floatValue(), 1e-6f);
            }
        } finally {
            if (before == null) {
                System.clearProperty("scalpel.home");
            } else {
                System.setProperty("scalpel.home", before);
            }
        }
    }

    @Test
    void badInputIsRefusedNamingTheFileAndLine() throws Exception {
        Path blank = Files.write(dir.resolve("blank.txt"), List.of("first", "", "third"));
        Result r = run(new EmbedCommand(), exported.toString(), "--input", blank.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(blank + ": line 2 is blank"), r.err());

        Path control = Files.write(dir.resolve("control.txt"), List.of("first", "\u0001\u0002"));
        r = run(new EmbedCommand(), exported.toString(), "--input", control.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(control + ": line 2: nothing to embed"), r.err());

        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        r = run(new EmbedCommand(), exported.toString(), "--input", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(empty + ": no texts"), r.err());

        r = run(new EmbedCommand(), exported.toString(), "--input", dir.resolve("missing.txt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.txt: no such file"), r.err());

        Path gpt2 = Path.of(System.getProperty("scalpel.fixtures")).resolve("gpt2-tiny");
        Path fine = Files.write(dir.resolve("fine.txt"), List.of("hello"));
        r = run(new EmbedCommand(), gpt2.toString(), "--input", fine.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("sentence embeddings need an encoder (bert) but the model is gpt2"), r.err());
    }
}
