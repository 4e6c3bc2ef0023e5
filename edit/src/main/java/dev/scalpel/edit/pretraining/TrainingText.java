package dev.scalpel.edit.pretraining;

import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.text.Tokenizer;
import dev.scalpel.core.train.DocumentPacker;
import dev.scalpel.lab.corpus.Shuffle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Documents as one packed token stream ({@link DocumentPacker}, as the lab's models were trained); the hash is the stream's, so a run keyed by it changes when the
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
        DocumentPacker out = new DocumentPacker(tokenizer, (int) eos, tokens);
        for (int epoch = 0; out.size() < tokens; epoch++) {
            List<String> order = seed == null ? documents : Shuffle.shuffled(documents, seed, "epoch " + epoch);
            for (String d : order) {
                out.add(d);
                if (out.size() >= tokens) {
                    break;
                }
            }
            if (seed == null) {
                break;   // held-out text is read once
            }
        }
        int[] stream = out.toArray();
        ByteBuffer bytes = ByteBuffer.allocate(stream.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(stream);
        return new TrainingText(name, stream, Sha256.of(bytes.array()));
    }
}
