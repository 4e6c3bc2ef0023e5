package dev.scalpel.lab.tokenizer;

import java.util.List;

/**
 * Cuts text at every occurrence of a special token, as the Rust library's added-vocabulary pass does before
 * pre-tokenization: the text between occurrences is tokenized on its own, each occurrence becomes its token. Where two
 * tokens start at the same place the longer one wins (the library matches leftmost-longest).
 */
final class SpecialTokenSplitter {
    /** Receives the pieces of a text in order. */
    interface Sink {
        void text(String text);

        void special(int id);
    }

    private final List<String> tokens;

    SpecialTokenSplitter(SpecialTokens specialTokens) {
        this.tokens = specialTokens.inIdOrder();
    }

    void split(String text, Sink sink) {
        // Where each token next occurs (-1: nowhere), found again only once passed, so that a text with many
        // special tokens is still scanned in linear time.
        int[] next = new int[tokens.size()];
        for (int id = 0; id < tokens.size(); id++) {
            next[id] = text.indexOf(tokens.get(id));
        }
        int from = 0;
        while (from < text.length()) {
            int bestId = -1;
            for (int id = 0; id < tokens.size(); id++) {
                if (next[id] >= 0 && next[id] < from) {
                    next[id] = text.indexOf(tokens.get(id), from);
                }
                if (next[id] >= 0 && (bestId < 0 || next[id] < next[bestId]
                        || (next[id] == next[bestId] && tokens.get(id).length() > tokens.get(bestId).length()))) {
                    bestId = id;
                }
            }
            if (bestId < 0) {
                break;
            }
            int at = next[bestId];
            if (at > from) {
                sink.text(text.substring(from, at));
            }
            sink.special(bestId);
            from = at + tokens.get(bestId).length();
        }
        if (from < text.length()) {
            sink.text(text.substring(from));
        }
    }
}
