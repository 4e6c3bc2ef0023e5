package dev.scalpel.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalpel.core.testing.Fixtures;
import dev.scalpel.core.text.Tokenizer;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each document packs as its encoding followed by the end-of-text id, in order, past the capacity given. */
class DocumentPackerTest {

    @Test
    void documentsFollowOneAnotherEachEndedByTheEndOfTextId() {
        try (Tokenizer t = Tokenizer.load(Fixtures.model("llama-tiny"))) {
            // 300 documents, several thousand tokens: past the 1,024 the packer starts with.
            String[] docs = java.util.stream.IntStream.range(0, 300).mapToObj(i -> List.of("The dog barks.",
                    "A cat sleeps in the sun, all day long.", "Birds " + i).get(i % 3)).toArray(String[]::new);
            DocumentPacker packer = new DocumentPacker(t, 7, 1);
            Stream.of(docs).forEach(packer::add);
            long[] expected = Stream.of(docs).flatMapToLong(d -> LongStream.concat(LongStream.of(t.encode(d)),
                    LongStream.of(7))).toArray();
            int[] packed = packer.toArray();
            assertEquals(expected.length, packer.size());
            org.junit.jupiter.api.Assertions.assertTrue(expected.length > 2048, "the stream grew: " + expected.length);
            assertArrayEquals(expected, java.util.Arrays.stream(packed).asLongStream().toArray());
        }
    }
}
