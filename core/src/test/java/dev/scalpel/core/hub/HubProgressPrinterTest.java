package dev.scalpel.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress goes to a redrawn line for large files and says nothing for small ones. */
class HubProgressPrinterTest {
    @Test
    void largeFileShowsBytesOfTotalAndRateThenEndsItsLine() {
        StringWriter text = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), 1000);
        p.advanced("model.safetensors", 2_500_000, 10_000_000, 0);
        p.advanced("model.safetensors", 10_000_000, 10_000_000, 0);
        p.finished("model.safetensors", 10_000_000);
        String out = text.toString();
        assertTrue(out.startsWith("\rmodel.safetensors  2.5 MB / 10.0 MB (25%)  "), out);
        assertTrue(out.contains("\rmodel.safetensors  10.0 MB / 10.0 MB (100%)  "), out);
        assertTrue(out.endsWith("/s" + System.lineSeparator()), out);
    }

    @Test
    void smallFilesAreNotShown() {
        StringWriter text = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), 1000);
        p.advanced("config.json", 800, 999, 0);
        p.finished("config.json", 999);
        assertEquals("", text.toString());
    }

    @Test
    void rateCountsOnlyBytesTransferredNotResumedOnes() {
        assertEquals("x  6.0 MB / 8.0 MB (75%)  1.5 MB/s", ProgressPrinter.line("x", 6_000_000, 8_000_000, 1.5e6));
        assertEquals("812 B", ProgressPrinter.formatBytes(812));
        assertEquals("4.9 GB", ProgressPrinter.formatBytes(4_900_000_000L));
    }
}
