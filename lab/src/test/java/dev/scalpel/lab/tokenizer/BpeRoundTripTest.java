package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decoding an encoding gives back the exact text, whatever it holds, and the plain-Java encoder gives the Rust
 * library's ids (which also shows that the trainer pre-tokenizes text as the runtime does).
 */
class BpeRoundTripTest {
    private static final long SEED = 20261126L;
    private final BpeLabFixture lab = BpeLabFixture.get();

    private List<String> texts() {
        List<String> texts = new ArrayList<>(BpeTestTexts.varied(SEED, 3000));
        texts.addAll(lab.heldOut.subList(0, 500));
        texts.addAll(List.of("", " ", "\n", "  \n\n\t ", " leading", "trailing ", "x  \n  y", "'s'S's 're",
                "0123456789", "a1b22c333", "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00", "日本語 日本語"));
        return texts;
    }

    @Test
    void decodeOfEncodeGivesBackEveryText() {
        int withoutSpecials = 0;
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            for (String text : texts()) {
                long[] ids = t.encode(text);
                // Skipping special tokens also drops those the text itself holds, so only the other texts come back.
                if (!holdsSpecialToken(text)) {
                    withoutSpecials++;
                    assertEquals(text, t.decode(ids, true), () -> "round trip (seed " + SEED + ") of " + escape(text));
                }
                assertEquals("<bos>" + text, t.decode(ids, false), () -> "with specials: " + escape(text));
            }
        }
        assertTrue(withoutSpecials > 2000, withoutSpecials + " texts without special tokens");
    }

    @Test
    void javaEncoderGivesTheRustLibrarysIds() {
        BpeEncoder java = new BpeEncoder(lab.model);
        try (Tokenizer rust = Tokenizer.load(lab.folder)) {
            for (String text : texts()) {
                long[] ids = rust.encode(text);
                assertArrayEquals(ids, java.encode(text), () -> "ids (seed " + SEED + ") of " + escape(text));
                assertEquals(rust.decode(ids, true), java.decode(ids, true), () -> "Java decoding of " + escape(text));
                assertEquals("<bos>" + text, java.decode(ids, false), () -> "with specials: " + escape(text));
            }
        }
    }

    @Test
    void decodingSlicesThatCutCharactersMatchesTheRustLibrary() {
        BpeEncoder java = new BpeEncoder(lab.model);
        try (Tokenizer rust = Tokenizer.load(lab.folder)) {
            for (String text : BpeTestTexts.varied(SEED + 1, 150)) {
                long[] ids = rust.encode(text, false);
                for (int from = 0; from < ids.length; from++) {
                    for (int to = from + 1; to <= Math.min(ids.length, from + 4); to++) {
                        long[] slice = Arrays.copyOfRange(ids, from, to);
                        assertEquals(rust.decode(slice, true), java.decode(slice, true),
                                () -> "slice " + Arrays.toString(slice) + " of " + escape(text));
                    }
                }
            }
        }
    }

    @Test
    void everyDigitIsATokenOfItsOwn() {
        BpeEncoder encoder = new BpeEncoder(lab.model);
        assertEquals(List.of("Ġ", "1", "2", "3", "4", "Ġ+", "Ġ", "5", "6", "Ġ=", "Ġ", "1", "2", "9", "0"),
                encoder.tokens(" 1234 + 56 = 1290"));
    }

    private static boolean holdsSpecialToken(String text) {
        return List.of("<bos>", "<eos>", "<pad>", "<mask>").stream().anyMatch(text::contains);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u{%X}", cp));
            }
        });
        return out.append('"').toString();
    }
}
