package dev.scalpel.core.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Texts that exercise tokenization and the long-text path: varied scripts, odd whitespace, and texts far too long. */
final class MiniLmTexts {
    private static final String[] WORDS = ("the model reads every sentence and turns its meaning into a vector so that "
            + "similar sentences land close together while unrelated ones drift apart researchers compare these "
            + "vectors with cosine similarity to search documents cluster topics and detect paraphrases tokenization "
            + "splits rare words like electroencephalography or photosynthesis into several pieces").split(" ");

    private MiniLmTexts() {
    }

    /** Short and medium texts: English, other scripts, emoji, punctuation only, whitespace oddities. */
    static final List<String> SHORT = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Hello",
            "a",
            "What is the capital of France?",
            "Machine learning models can encode sentences into dense vectors.",
            "I love programming in Java!",
            "我喜欢学习自然语言处理。",
            "مرحبا بالعالم، كيف حالك اليوم؟",
            "मुझे हिंदी में पढ़ना पसंद है।",
            "I am so happy today 😀🎉👍",
            "🚀🌍",
            "?!...,;:",
            "---",
            "  leading and trailing spaces  ",
            "tabs\tand\nnewlines\r\nmixed together",
            "multiple     spaces    between   words",
            "\u00a0non-breaking\u00a0spaces\u00a0here",
            "Café naïve résumé façade",
            "Straße, Übermut und Größe",
            "東京は日本の首都です。",
            "Привет, как дела?",
            "3.14159 2.71828 1,000,000 and 42",
            "https://example.com/path?query=1&b=2",
            "for (int i = 0; i < n; i++) { sum += a[i]; }",
            "THIS IS ALL UPPERCASE TEXT",
            "don't won't can't it's I'm you're",
            "Pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism",
            "zero\u200bwidth\u200bspaces",
            "[CLS] text with [SEP] inside [MASK]",
            "안녕하세요 세계",
            "Καλημέρα κόσμε");

    /** Long texts: most of hundreds to thousands of word pieces, beyond the 128-token limit and the 512 positions. */
    static List<String> longTexts() {
        List<String> texts = new ArrayList<>();
        texts.add(words(new Random(1), 180));     // about 200 pieces: between LangChain4j's 128 and sentence-transformers' 256
        texts.add(words(new Random(2), 700));     // well over 512 pieces
        texts.add(words(new Random(3), 1500));
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            mixed.append(SHORT.get(i % SHORT.size())).append(' ');
        }
        texts.add(mixed.toString());              // every script above, over and over
        // One "word" of 4000 characters: WordPiece gives up on words over 100 characters, so this is one [UNK].
        texts.add("x".repeat(2000) + "y".repeat(2000));
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            numbers.append(i * 7919 % 10007).append(i % 3 == 0 ? ", " : " ");
        }
        texts.add(numbers.toString());
        return texts;
    }

    static List<String> all() {
        List<String> all = new ArrayList<>(SHORT);
        all.addAll(longTexts());
        return all;
    }

    private static String words(Random random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(WORDS[random.nextInt(WORDS.length)]).append(i % 17 == 16 ? ". " : " ");
        }
        return b.toString().strip();
    }
}
