package dev.scalpel.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Prompts tokenized and right-padded into one batch (pad = EOS, as the editing papers do); for a causal model right
 * padding leaves every real position's computation unchanged.
 */
public record PromptBatch(List<long[]> rows, int width, long padId) {

    public static PromptBatch of(Tokenizer tokenizer, List<String> prompts, long padId) {
        List<long[]> rows = new ArrayList<>();
        int width = 0;
        for (String p : prompts) {
            long[] ids = tokenizer.encode(p);
            rows.add(ids);
            width = Math.max(width, ids.length);
        }
        return new PromptBatch(rows, width, padId);
    }

    public static PromptBatch ofIds(List<long[]> rows, long padId) {
        return new PromptBatch(rows, rows.stream().mapToInt(r -> r.length).max().orElse(0), padId);
    }

    public int size() {
        return rows.size();
    }

    public int length(int row) {
        return rows.get(row).length;
    }

    public NDArray ids(NDManager m) {
        long[] flat = new long[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            long[] ids = rows.get(r);
            for (int j = 0; j < width; j++) {
                flat[r * width + j] = j < ids.length ? ids[j] : padId;
            }
        }
        return m.create(flat).reshape(rows.size(), width);
    }

    public NDArray mask(NDManager m) {
        long[] flat = new long[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            for (int j = 0; j < rows.get(r).length; j++) {
                flat[r * width + j] = 1;
            }
        }
        return m.create(flat).reshape(rows.size(), width);
    }
}
