package dev.scalpel.lab.tokenizer;

import dev.scalpel.core.ScalpelException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java encoder and decoder for a {@link BpeModel}, giving the ids the Rust library gives for the model's
 * tokenizer.json (the tests hold the two equal on thousands of texts). The Rust library, through
 * {@link dev.scalpel.core.text.Tokenizer}, stays the authoritative encoder; this one serves where loading native code
 * is unwanted and lets the lab inspect how a text splits. Thread-safe.
 */
public final class BpeEncoder {
    private final BpeModel model;
    private final Map<String, Integer> ids = new HashMap<>();
    /** Per pair of token ids: its merge's rank (lower merges first) in the high half, the merged id in the low half. */
    private final Map<Long, Long> merges = new HashMap<>();
    private final PreTokenizer preTokenizer;
    private final SpecialTokenSplitter specials;
    /** The ids of each merge's left and right token, by rank. */
    private final int[] leftIds;
    private final int[] rightIds;
    /** The id of each byte's symbol. */
    private final int[] byteIds = new int[ByteAlphabet.SIZE];

    public BpeEncoder(BpeModel model) {
        this.model = model;
        for (int id = 0; id < model.vocab().size(); id++) {
            ids.put(model.vocab().get(id), id);
        }
        leftIds = new int[model.merges().size()];
        rightIds = new int[model.merges().size()];
        for (int rank = 0; rank < model.merges().size(); rank++) {
            Merge m = model.merges().get(rank);
            leftIds[rank] = ids.get(m.left());
            rightIds[rank] = ids.get(m.right());
            merges.putIfAbsent(pairKey(leftIds[rank], rightIds[rank]), ((long) rank << 32) | ids.get(m.merged()));
        }
        for (int b = 0; b < ByteAlphabet.SIZE; b++) {
            byteIds[b] = ids.get(String.valueOf(ByteAlphabet.charOf(b)));
        }
        this.preTokenizer = new PreTokenizer(model.individualDigits());
        this.specials = new SpecialTokenSplitter(model.specialTokens());
    }

    /** The ids of {@code text}, after the BOS id, as {@link dev.scalpel.core.text.Tokenizer#encode(String)} gives. */
    public long[] encode(String text) {
        return encode(text, true);
    }

    public long[] encode(String text, boolean addBos) {
        List<Integer> out = new ArrayList<>();
        if (addBos) {
            out.add(model.specialTokens().bosId());
        }
        specials.split(text, new SpecialTokenSplitter.Sink() {
            @Override
            public void text(String part) {
                preTokenizer.split(part, word -> encodeWord(word, out));
            }

            @Override
            public void special(int id) {
                out.add(id);
            }
        });
        return out.stream().mapToLong(Integer::longValue).toArray();
    }

    /** The tokens (strings in byte-level form) of {@code text}, without BOS: for looking at how a text splits. */
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (long id : encode(text, false)) {
            tokens.add(model.vocab().get((int) id));
        }
        return tokens;
    }

    /**
     * The text of {@code ids}: the bytes their tokens stand for, read as UTF-8 (a cut through a character decodes to
     * U+FFFD, as in the Rust library); special tokens as their text unless skipped.
     */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int specialCount = model.specialTokens().inIdOrder().size();
        for (long id : ids) {
            if (id < 0 || id >= model.size()) {
                throw new ScalpelException("token id " + id + ": outside the vocabulary of " + model.size());
            }
            if (id < specialCount) {
                if (!skipSpecialTokens) {
                    bytes.writeBytes(model.vocab().get((int) id).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                ByteAlphabet.appendBytes(model.vocab().get((int) id), bytes);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * BPE on one pre-tokenized word: start from its bytes, and while some adjacent pair has a merge, apply the
     * lowest-ranked one at every place it occurs, left to right.
     */
    private void encodeWord(String word, List<Integer> out) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            symbols[i] = byteIds[utf8[i] & 0xFF];
        }
        int n = symbols.length;
        while (n > 1) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                Long merge = merges.get(pairKey(symbols[i], symbols[i + 1]));
                if (merge != null && merge < best) {
                    best = merge;
                }
            }
            if (best == Long.MAX_VALUE) {
                break;
            }
            int merged = (int) best;
            int rank = (int) (best >>> 32);
            int left = leftIds[rank];
            int right = rightIds[rank];
            int w = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && symbols[i] == left && symbols[i + 1] == right) {
                    symbols[w++] = merged;
                    i += 2;
                } else {
                    symbols[w++] = symbols[i++];
                }
            }
            n = w;
        }
        for (int i = 0; i < n; i++) {
            out.add(symbols[i]);
        }
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The model this encoder runs. */
    public BpeModel model() {
        return model;
    }
}
