package dev.scalpel.lab.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces that BPE merges never cross, exactly as the tokenizer.json this package writes makes the
 * Rust library split it: first (when asked) every numeric character on its own (the {@code Digits} pre-tokenizer with
 * {@code individual_digits}), then GPT-2's regex on each remaining run (the {@code ByteLevel} pre-tokenizer with
 * {@code use_regex}, no prefix space). The trainer must see the very pieces the runtime will see, or it would learn
 * merges that never apply.
 */
final class PreTokenizer {
    /**
     * GPT-2's split regex. UNICODE_CHARACTER_CLASS makes {@code \s} Unicode's White_Space, as Oniguruma's {@code \s} is
     * in the Rust library; without it Java's {@code \s} is ASCII only and a no-break space would split differently.
     */
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final boolean individualDigits;

    PreTokenizer(boolean individualDigits) {
        this.individualDigits = individualDigits;
    }

    /** The pieces of {@code text}, in order; their concatenation is {@code text}. */
    List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        split(text, pieces::add);
        return pieces;
    }

    /** Hands each piece of {@code text} to {@code out}, in order. */
    void split(String text, Consumer<String> out) {
        if (!individualDigits) {
            splitByRegex(text, 0, text.length(), out);
            return;
        }
        int runStart = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isNumeric(cp)) {
                splitByRegex(text, runStart, i, out);
                out.accept(text.substring(i, next));
                runStart = next;
            }
            i = next;
        }
        splitByRegex(text, runStart, text.length(), out);
    }

    /** Rust's {@code char::is_numeric}, which the Digits pre-tokenizer uses: general categories Nd, Nl and No. */
    static boolean isNumeric(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * The regex's matches in {@code text[from, to)}, with any text between matches kept as a piece of its own (the
     * Rust library's "isolated" split); the regex matches every character, so in practice there is none.
     */
    private static void splitByRegex(String text, int from, int to, Consumer<String> out) {
        if (from >= to) {
            return;
        }
        Matcher m = GPT2_SPLIT.matcher(text).region(from, to);
        int last = from;
        while (m.find()) {
            if (m.start() > last) {
                out.accept(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                out.accept(text.substring(m.start(), m.end()));
            }
            last = m.end();
        }
        if (last < to) {
            out.accept(text.substring(last, to));
        }
    }
}
