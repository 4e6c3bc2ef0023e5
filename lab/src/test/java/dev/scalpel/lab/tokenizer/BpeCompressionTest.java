package dev.scalpel.lab.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scalpel.core.text.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The merges capture the training text's frequent words, so unseen text of the same kind takes few tokens. */
class BpeCompressionTest {
    private final BpeLabFixture lab = BpeLabFixture.get();

    @Test
    void frequentTrainingWordsBecomeSingleTokens() {
        // Counted independently of the trainer: lowercase words after a space, as " word".
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = Pattern.compile(" [a-z]+").matcher("");
        for (String text : lab.training) {
            m.reset(text);
            while (m.find()) {
                counts.merge(m.group(), 1, Integer::sum);
            }
        }
        List<String> frequent = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(300)
                .map(Map.Entry::getKey)
                .toList();
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            for (String word : frequent) {
                assertEquals(1, t.encode(word, false).length, "'" + word + "' (" + counts.get(word) + " times)");
            }
        }
    }

    @Test
    void heldOutTextTakesFarFewerTokensThanBytes() {
        long bytes = 0;
        long chars = 0;
        long tokens = 0;
        try (Tokenizer t = Tokenizer.load(lab.folder)) {
            for (String text : lab.heldOut) {
                bytes += text.getBytes(StandardCharsets.UTF_8).length;
                chars += text.length();
                tokens += t.encode(text, false).length;
            }
        }
        double perChar = (double) tokens / chars;
        double bytesPerChar = (double) bytes / chars;
        // Measured: 0.29 tokens per char (3.4 chars per token) with this training set; raw bytes are >= 1 per char.
        assertTrue(perChar < 0.33, "held-out glosses: " + perChar + " tokens per char");
        assertTrue(perChar < 0.35 * bytesPerChar, perChar + " tokens vs " + bytesPerChar + " bytes per char");
    }
}
