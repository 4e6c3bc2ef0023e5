package dev.scalpel.lab.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.scalpel.lab.build.LabSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default corpora's content, pinned: their hashes enter every lab model's cache key, so a change here (a renamed
 * hash salt, another sampling order) would silently rebuild every user's lab models. Change the pins only on purpose.
 */
class CorpusContentPinTest {

    @Test
    void theDefaultCorporaHashAsTheLabModelsWereBuiltFrom(@TempDir Path dir) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Datasheet sheet : LabCorpus.build(LabSpec.SEED, Profile.DEFAULT).writeTo(dir)) {
            hashes.put(sheet.corpus(), sheet.contentHash());
        }
        assertEquals(Map.of(
                "text", "783bc1af629c6dd2caba0865c5b0659fe53affb6163d8ed656f28d02212d6a4c",
                "facts", "d682a29f7f9169c0db35cc059e0bd8b3e7ab9b34d83e132f4352b8b5fcc484e2",
                "arithmetic", "694cab60d3a6f757255b76a1f03895e9d87e5fb6328eee628a2923d9689fb16b",
                "prose", "7b3c0c1d36de0ed523b1c339a72dec613e502e33a510a00bda74aa6eb8a05a00"), hashes);
    }
}
