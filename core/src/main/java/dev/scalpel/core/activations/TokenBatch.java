package dev.scalpel.core.activations;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.text.TokenizedText;
import java.util.Arrays;
import java.util.List;

/**
 * Token rows of different lengths laid out in one {@code [rows, length]} block for one forward pass: the one padded
 * batch of Scalpel. Right padding (the default) leaves every real token at the position it has alone, so a causal
 * model's real positions never see padding; left padding (for generation) puts the padding first and counts positions
 * over real tokens only, as transformers' {@code generate} does. Either way, with the attention mask each row computes
 * what it computes alone, up to float rounding.
 *
 * @param rows the token ids of each row, special tokens included
 * @param typeIds BERT segment ids per row, or null (no token types sent)
 * @param length the longest row
 * @param side where the padding goes
 * @param padId the id at padded positions (any id works: they are masked)
 * @param maskAlways send the attention mask even when nothing is padded; false sends none then, so that one text runs
 *     exactly as a plain forward pass does
 */
public record TokenBatch(List<long[]> rows, List<long[]> typeIds, int length, Side side, long padId, boolean maskAlways) {

    /** Where the padding goes. */
    public enum Side { RIGHT, LEFT }

    public TokenBatch {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        for (long[] r : rows) {
            if (r.length == 0) {
                throw new IllegalArgumentException("a batch cannot hold an empty row");
            }
        }
        if (typeIds != null) {
            typeIds = List.copyOf(typeIds);
            if (typeIds.size() != rows.size()) {
                throw new IllegalArgumentException(rows.size() + " rows but " + typeIds.size() + " rows of type ids");
            }
            for (int r = 0; r < rows.size(); r++) {
                if (typeIds.get(r).length != rows.get(r).length) {
                    throw new IllegalArgumentException("row " + r + " has " + rows.get(r).length + " ids but "
                            + typeIds.get(r).length + " type ids");
                }
            }
        }
        int longest = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        if (length != longest) {
            throw new IllegalArgumentException("length " + length + " but the longest row has " + longest + " tokens");
        }
    }

    /** Right-padded with {@code padId}, the mask always sent. */
    public static TokenBatch right(List<long[]> rows, long padId) {
        return new TokenBatch(rows, null, longest(rows), Side.RIGHT, padId, true);
    }

    /** Left-padded with {@code padId} (positions count real tokens), the mask always sent. */
    public static TokenBatch left(List<long[]> rows, long padId) {
        return new TokenBatch(rows, null, longest(rows), Side.LEFT, padId, true);
    }

    /** Right-padded texts with their type ids (an encoder's segments), padding id 0, the mask always sent. */
    public static TokenBatch ofTexts(List<TokenizedText> texts) {
        List<long[]> ids = texts.stream().map(TokenizedText::ids).toList();
        return new TokenBatch(ids, texts.stream().map(TokenizedText::typeIds).toList(), longest(ids), Side.RIGHT, 0, true);
    }

    /** The same batch, sending no mask when no row is padded. */
    public TokenBatch maskedOnlyWhenPadded() {
        return new TokenBatch(rows, typeIds, length, side, padId, false);
    }

    /** The same batch without type ids (a decoder takes none). */
    public TokenBatch withoutTypeIds() {
        return new TokenBatch(rows, null, length, side, padId, maskAlways);
    }

    private static int longest(List<long[]> rows) {
        return rows.stream().mapToInt(r -> r.length).max().orElse(0);
    }

    public int size() {
        return rows.size();
    }

    /** Real tokens of one row. */
    public int length(int row) {
        return rows.get(row).length;
    }

    /** Where a row's first real token sits: 0 for right padding. */
    public int offset(int row) {
        return side == Side.RIGHT ? 0 : length - rows.get(row).length;
    }

    /** Whether any row is shorter than the batch. */
    public boolean padded() {
        return rows.stream().anyMatch(r -> r.length < length);
    }

    public Shape shape() {
        return new Shape(rows.size(), length);
    }

    /** Ids, row-major {@code [rows * length]}. */
    public long[] flatIds() {
        long[] out = new long[rows.size() * length];
        Arrays.fill(out, padId);
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, out, r * length + offset(r), rows.get(r).length);
        }
        return out;
    }

    /** The attention mask, row-major: 1 at real tokens. */
    public long[] flatMask() {
        long[] out = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            int at = r * length + offset(r);
            Arrays.fill(out, at, at + rows.get(r).length, 1L);
        }
        return out;
    }

    /** Position ids, row-major: 0, 1, ... over each row's real tokens, 0 at padding. */
    public long[] flatPositions() {
        long[] out = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            int at = r * length + offset(r);
            for (int j = 0; j < rows.get(r).length; j++) {
                out[at + j] = j;
            }
        }
        return out;
    }

    private long[] flatTypeIds() {
        long[] out = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(typeIds.get(r), 0, out, r * length + offset(r), typeIds.get(r).length);
        }
        return out;
    }

    /**
     * 1 where a token is real and counts, 0 elsewhere, as float {@code [rows * length]} row-major.
     *
     * @param counts per row, which of its real tokens count (null: all of them)
     */
    public float[] countedMask(List<boolean[]> counts) {
        float[] out = new float[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            int at = r * length + offset(r);
            boolean[] c = counts == null ? null : counts.get(r);
            for (int j = 0; j < rows.get(r).length; j++) {
                out[at + j] = c == null || c[j] ? 1f : 0f;
            }
        }
        return out;
    }

    public NDArray ids(NDManager m) {
        return m.create(flatIds(), shape());
    }

    /** The attention mask, int64 {@code [rows, length]}. */
    public NDArray mask(NDManager m) {
        return m.create(flatMask(), shape());
    }

    /** 1.0 at real tokens, float32 {@code [rows, length]}: for masked means and losses. */
    public NDArray realMask(NDManager m) {
        return m.create(countedMask(null), shape());
    }

    /**
     * The forward request: ids, the mask (always, or only when padded), position ids for left padding, and type ids
     * when the batch has them.
     */
    public ForwardRequest request(NDManager m) {
        ForwardRequest request = ForwardRequest.of(ids(m));
        if (maskAlways || padded()) {
            request = request.withAttentionMask(mask(m));
        }
        if (side == Side.LEFT) {
            request = request.withPositionIds(m.create(flatPositions(), shape()));
        }
        if (typeIds != null) {
            request = request.withTokenTypeIds(m.create(flatTypeIds(), shape()));
        }
        return request;
    }
}
