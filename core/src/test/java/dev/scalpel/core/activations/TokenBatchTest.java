package dev.scalpel.core.activations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.text.TokenizedText;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBatchTest {
    private static final List<long[]> ROWS = List.of(new long[] {5, 6, 7}, new long[] {8}, new long[] {9, 10});

    /** Row r, position j of a [rows, length] block laid out by hand: the oracle for both sides. */
    private static long at(long[] flat, int length, int r, int j) {
        return flat[r * length + j];
    }

    @Test
    void rightPaddingKeepsEveryTokenAtItsOwnPosition() {
        TokenBatch b = TokenBatch.right(ROWS, 99);
        assertEquals(3, b.length());
        assertTrue(b.padded());
        long[] ids = b.flatIds();
        long[] mask = b.flatMask();
        long[] pos = b.flatPositions();
        for (int r = 0; r < ROWS.size(); r++) {
            long[] row = ROWS.get(r);
            assertEquals(0, b.offset(r));
            for (int j = 0; j < 3; j++) {
                boolean real = j < row.length;
                assertEquals(real ? row[j] : 99, at(ids, 3, r, j), "id at " + r + "," + j);
                assertEquals(real ? 1 : 0, at(mask, 3, r, j));
                assertEquals(real ? j : 0, at(pos, 3, r, j));
            }
        }
    }

    @Test
    void leftPaddingPutsPaddingFirstAndCountsPositionsOverRealTokens() {
        TokenBatch b = TokenBatch.left(ROWS, 99);
        long[] ids = b.flatIds();
        long[] mask = b.flatMask();
        long[] pos = b.flatPositions();
        for (int r = 0; r < ROWS.size(); r++) {
            long[] row = ROWS.get(r);
            int offset = 3 - row.length;
            assertEquals(offset, b.offset(r));
            for (int j = 0; j < 3; j++) {
                boolean real = j >= offset;
                assertEquals(real ? row[j - offset] : 99, at(ids, 3, r, j));
                assertEquals(real ? 1 : 0, at(mask, 3, r, j));
                assertEquals(real ? j - offset : 0, at(pos, 3, r, j), "transformers' generate numbers real tokens only");
            }
        }
    }

    @Test
    void countedMaskLeavesOutPaddingAndWhatARowDoesNotCount() {
        TokenBatch b = TokenBatch.left(ROWS, 0);
        float[] all = b.countedMask(null);
        float[] some = b.countedMask(List.of(new boolean[] {false, true, true}, new boolean[] {true},
                new boolean[] {true, false}));
        long[] mask = b.flatMask();
        for (int i = 0; i < all.length; i++) {
            assertEquals(mask[i], (long) all[i], "with no counts, every real token counts");
        }
        // row 0 is full: its first token is left out; row 2 sits at offset 1: its second real token is left out
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1, 0, 1, 0}, some);
    }

    @Test
    void theRequestCarriesAMaskPositionsAndTypesOnlyWhereTheyMeanSomething() {
        Runtime.init();
        try (NDManager m = NDManager.newBaseManager()) {
            ForwardRequest full = TokenBatch.right(List.of(new long[] {1, 2}, new long[] {3, 4}), 0).request(m);
            assertNotNull(full.attentionMask(), "the mask is sent unless asked otherwise");
            assertNull(full.positionIds(), "right padding leaves positions to the model");
            ForwardRequest plain = TokenBatch.right(List.of(new long[] {1, 2}, new long[] {3, 4}), 0)
                    .maskedOnlyWhenPadded().request(m);
            assertNull(plain.attentionMask(), "nothing padded: a plain forward pass");
            ForwardRequest padded = TokenBatch.right(ROWS, 0).maskedOnlyWhenPadded().request(m);
            assertArrayEquals(TokenBatch.right(ROWS, 0).flatMask(), padded.attentionMask().toLongArray());
            ForwardRequest left = TokenBatch.left(ROWS, 0).request(m);
            assertArrayEquals(TokenBatch.left(ROWS, 0).flatPositions(), left.positionIds().toLongArray());
            TokenBatch texts = TokenBatch.ofTexts(List.of(new TokenizedText(new long[] {101, 7, 102}, new long[] {0, 0, 1}, 1, 2),
                    TokenizedText.of(new long[] {101, 102})));
            assertArrayEquals(new long[] {0, 0, 1, 0, 0, 0}, texts.request(m).tokenTypeIds().toLongArray());
            assertNull(texts.withoutTypeIds().request(m).tokenTypeIds());
        }
    }

    @Test
    void refusesWhatCannotBeABatch() {
        assertThrows(IllegalArgumentException.class, () -> TokenBatch.right(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> TokenBatch.right(List.of(new long[0]), 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch(ROWS, List.of(new long[3]), 3,
                TokenBatch.Side.RIGHT, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new TokenBatch(ROWS, null, 5, TokenBatch.Side.RIGHT, 0, true));
        assertFalse(TokenBatch.right(List.of(new long[] {1}), 0).padded());
    }
}
