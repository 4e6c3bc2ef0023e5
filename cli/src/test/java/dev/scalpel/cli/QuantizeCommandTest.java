package dev.scalpel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `scalpel quantize` writes a GPTQ folder that the other commands take as a model. */
class QuantizeCommandTest {

    @Test
    void aQuantizedFolderIsWrittenWithItsReportAndRunsAsAModel(@TempDir Path home) throws Exception {
        Path calib = home.resolve("calib.txt");
        Files.writeString(calib, ("Call me Ishmael. Some years ago, never mind how long precisely, having little or no money"
                + " in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and"
                + " see the watery part of the world. ").repeat(20));
        Path out = home.resolve("lab-lm-gptq");
        var done = new ChildScalpel(home).run("quantize", "quantize", "--model", "lab-lm", "--method", "gptq", "--bits",
                "4", "--group-size", "64", "--act-order", "--calib", calib.toString(), "--calib-samples", "4",
                "--seqlen", "64", "--out", out.toString());
        assertEquals(0, done.code(), done.out() + done.err());
        assertTrue(done.out().contains("quantized 42 modules"), done.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("quantization.json").toFile());
        assertEquals(42, report.path("modules").size());
        for (JsonNode module : report.path("modules")) {
            double error = module.path("relativeOutputError").asDouble();
            assertTrue(error > 0 && error < 0.5, module.path("module").asText() + ": " + error);
        }
        assertEquals(4, report.path("calibration").path("windows").asInt());

        var generated = new ChildScalpel(home).run("generate", "generate", out.toString(), "--prompt",
                "A dog is a kind of", "--max-new-tokens", "5", "--greedy");
        assertEquals(0, generated.code(), generated.out() + generated.err());
        assertTrue(generated.out().contains("A dog is a kind of"), generated.out());
    }

    @Test
    void widthsTheFormatCannotPackAreRefusedBeforeAnyWork() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "quantize",
                "--model", "lab-lm", "--bits", "5", "--out", "unused");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("packs 2, 3, 4 or 8 bits, not 5"), err.toString());
    }
}
