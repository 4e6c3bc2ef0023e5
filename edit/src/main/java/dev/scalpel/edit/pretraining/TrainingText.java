package dev.scalpel.edit.pretraining;

import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.lab.corpus.Shuffle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Documents as one packed token stream, each as the tokenizer encodes it (with its beginning-of-text token) followed by
 * the end-of-text id, as the lab's models were trained; the hash is the stream's, so a run keyed by it changes when the
 * text, its order or the tokenizer does.
 *
 * @param name what the text is, in words
 */
public record TrainingText(String name, int[] tokens, String hash) {

    /**
     * At least {@code tokens} tokens: the documents in a seeded order, epoch after epoch (each epoch shuffled anew) when
     * one pass is shorter; in the given order when {@code seed} is null (held-out text).
     */
    public static TrainingText of(String name, List<String> documents, Tokenizer tokenizer, long eos, long tokens,
                                  Long seed) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(name + " has no documents");
        }
        int[] out = new int[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024, tokens + 1024))];
        int size = 0;
        for (int epoch = 0; size < tokens; epoch++) {
            List<String> order = seed == null ? documents : Shuffle.shuffled(documents, seed, "epoch " + epoch);
            for (String d : order) {
                long[] ids = tokenizer.encode(d);
                if (size + ids.length + 1 > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, size + ids.length + 1));
                }
                for (long id : ids) {
                    out[size++] = (int) id;
                }
                out[size++] = (int) eos;
                if (size >= tokens) {
                    break;
                }
            }
            if (seed == null) {
                break;   // held-out text is read once
            }
        }
        int[] stream = Arrays.copyOf(out, size);
        ByteBuffer bytes = ByteBuffer.allocate(stream.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(stream);
        return new TrainingText(name, stream, Sha256.of(bytes.array()));
    }
}
