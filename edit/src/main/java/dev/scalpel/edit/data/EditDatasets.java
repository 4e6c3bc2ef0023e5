package dev.scalpel.edit.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.edit.EditRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Readers for the published editing datasets' JSON: CounterFact ({@code counterfact.json} of ROME/MEMIT, also what
 * the lab writes for its facts) and zsRE ({@code zsre_mem_eval.json}). One list of {@link EditRequest}s comes out of
 * either; malformed records are reported with their index and field.
 */
public final class EditDatasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EditDatasets() {
    }

    /** Reads a file, telling CounterFact and zsRE apart by their fields. */
    public static List<EditRequest> read(Path file) {
        JsonNode root = parse(file);
        if (!root.isArray()) {
            throw new ScalpelException(file + ": expected a JSON array of edit records");
        }
        if (root.isEmpty()) {
            return List.of();
        }
        return root.get(0).has("requested_rewrite") ? counterFact(file, root) : zsre(file, root);
    }

    static List<EditRequest> counterFact(Path file, JsonNode root) {
        List<EditRequest> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            JsonNode rw = field(file, i, r, "requested_rewrite");
            String targetNew = text(file, i, field(file, i, rw, "target_new"), "str");
            String targetTrue = text(file, i, field(file, i, rw, "target_true"), "str");
            List<String> neighbors = strings(r.get("neighborhood_prompts"));
            String caseId = text(file, i, r, "case_id");
            String prompt = text(file, i, rw, "prompt");
            String subject = text(file, i, rw, "subject");
            out.add(checked(file, i, () -> new EditRequest(caseId, prompt, subject, targetNew, targetTrue,
                    strings(r.get("paraphrase_prompts")), neighbors, java.util.Collections.nCopies(neighbors.size(), targetTrue),
                    strings(r.get("generation_prompts")))));
        }
        return out;
    }

    /**
     * zsRE records as ROME and MEMIT read them: the prompt is the question with the subject replaced by {}, the edit
     * target is {@code answers[0]} (the true answer is unknown to the dataset), the paraphrase is {@code rephrase},
     * and the neighborhood prompt is {@code loc} (a Natural Questions question) whose answer must not change.
     */
    static List<EditRequest> zsre(Path file, JsonNode root) {
        List<EditRequest> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            String subject = text(file, i, r, "subject");
            String src = text(file, i, r, "src");
            if (!src.contains(subject)) {
                throw new ScalpelException(file + ": record " + i + ": the question '" + src + "' does not contain its subject '"
                        + subject + "'");
            }
            String prompt = src.replace(subject, "{}");
            JsonNode answers = field(file, i, r, "answers");
            if (answers.isEmpty()) {
                throw new ScalpelException(file + ": record " + i + " has an empty 'answers' list");
            }
            String loc = r.has("loc") ? r.get("loc").asText().replaceFirst("^nq question: ", "") : "";
            List<String> neighborhood = loc.isEmpty() ? List.of() : List.of(loc.endsWith("?") ? loc : loc + "?");
            List<String> locAnswer = neighborhood.isEmpty() ? List.of() : List.of(text(file, i, r, "loc_ans"));
            int index = i;
            out.add(checked(file, i, () -> new EditRequest(String.valueOf(index), prompt, subject,
                    answers.get(0).asText(), "", r.has("rephrase") ? List.of(r.get("rephrase").asText()) : List.of(),
                    neighborhood, locAnswer, List.of())));
        }
        return out;
    }

    /** A record the request refuses (a prompt without {}, an empty target) is named with its file and index. */
    private static EditRequest checked(Path file, int i, java.util.function.Supplier<EditRequest> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new ScalpelException(file + ": record " + i + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ScalpelException(file + ": not readable as JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode field(Path file, int i, JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ScalpelException(file + ": record " + i + " has no '" + name + "'");
        }
        return v;
    }

    private static String text(Path file, int i, JsonNode node, String name) {
        return field(file, i, node, name).asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
