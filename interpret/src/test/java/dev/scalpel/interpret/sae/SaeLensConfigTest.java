package dev.scalpel.interpret.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Both config generations, what the written v6 config contains, and the config-level refusals. */
class SaeLensConfigTest {
    private static final Path CFG = Path.of("some/sae/cfg.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsAV6ConfigWithNestedMetadata() {
        SaeLensConfig c = SaeLensConfig.parse("""
                {"d_in": 2304, "d_sae": 16384, "dtype": "float32", "device": "cuda", "apply_b_dec_to_input": false,
                 "normalize_activations": "none", "reshape_activations": "none", "architecture": "jumprelu",
                 "metadata": {"sae_lens_version": "6.3.0", "model_name": "gemma-2-2b",
                              "hook_name": "blocks.12.hook_resid_post", "hook_head_index": null, "prepend_bos": true,
                              "context_size": 1024, "exclude_special_tokens": [2], "neuronpedia_id": null}}
                """, CFG);
        assertEquals(SaeArchitecture.JUMPRELU, c.architecture());
        assertEquals(2304, c.dIn());
        assertEquals(16384, c.dSae());
        assertFalse(c.applyBDecToInput());
        assertEquals(new SaeMetadata("gemma-2-2b", "blocks.12.hook_resid_post", 1024, true, true), c.metadata());
        assertNull(c.hookHeadIndex());
    }

    @Test
    void readsTopKFromEitherGeneration() {
        SaeLensConfig v6 = SaeLensConfig.parse("""
                {"d_in": 8, "d_sae": 32, "architecture": "topk", "k": 4.0, "rescale_acts_by_decoder_norm": true,
                 "metadata": {"hook_name": "blocks.0.hook_mlp_out"}}""", CFG);
        assertEquals(SaeArchitecture.TOPK, v6.architecture());
        assertEquals(4, v6.k(), "an integral float k, as BatchTopK writes");
        assertTrue(v6.rescaleActsByDecoderNorm());
        SaeLensConfig v5 = SaeLensConfig.parse("""
                {"d_in": 8, "d_sae": 32, "architecture": "topk", "activation_fn_kwargs": {"k": 5},
                 "hook_name": "blocks.0.hook_mlp_out", "hook_layer": 0, "sae_lens_training_version": "5.1.0"}""", CFG);
        assertEquals(5, v5.k());
        SaeLensConfig v4 = SaeLensConfig.parse("""
                {"d_in": 8, "d_sae": 32, "architecture": "standard", "activation_fn_str": "topk",
                 "activation_fn_kwargs": {"k": 6}, "hook_name": "blocks.0.hook_mlp_out"}""", CFG);
        assertEquals(SaeArchitecture.TOPK, v4.architecture());
        assertEquals(6, v4.k());
    }

    @Test
    void readsTheOldestFlatConfigs() {
        SaeLensConfig c = SaeLensConfig.parse("""
                {"model_name": "gpt2-small", "hook_point": "blocks.8.attn.hook_z", "hook_point_layer": 8,
                 "hook_point_head_index": 3, "d_in": 64, "d_sae": 1024, "context_size": 128, "lr": NaN,
                 "normalize_activations": false, "dtype": "torch.float32"}""", CFG);
        assertEquals(SaeArchitecture.STANDARD, c.architecture());
        assertTrue(c.applyBDecToInput());
        assertEquals("blocks.8.attn.hook_z", c.metadata().hookName());
        assertEquals(3, c.hookHeadIndex());
        assertEquals("torch.float32", c.dtype());
    }

    @Test
    void writesWhatSaeLens6NeedsToLoad() throws Exception {
        SaeLensConfig topk = new SaeLensConfig(SaeArchitecture.TOPK, 16, 64, 8, true, false,
                new SaeMetadata("gpt2", "blocks.4.attn.hook_z", 128, true, false), null, "float32");
        JsonNode j = JSON.readTree(topk.toJson());
        assertEquals("topk", j.get("architecture").asText());
        assertEquals(16, j.get("d_in").asInt());
        assertEquals(64, j.get("d_sae").asInt());
        assertEquals("float32", j.get("dtype").asText());
        assertEquals("cpu", j.get("device").asText());
        assertTrue(j.get("apply_b_dec_to_input").asBoolean());
        assertEquals("none", j.get("normalize_activations").asText());
        assertEquals("hook_z", j.get("reshape_activations").asText());
        assertEquals(8, j.get("k").asInt());
        assertFalse(j.get("rescale_acts_by_decoder_norm").asBoolean());
        JsonNode meta = j.get("metadata");
        // SAELens reads the nested layout only when the version is 6 or later.
        assertTrue(meta.get("sae_lens_version").asText().startsWith("6."));
        assertEquals("gpt2", meta.get("model_name").asText());
        assertEquals("blocks.4.attn.hook_z", meta.get("hook_name").asText());
        assertTrue(meta.get("hook_head_index").isNull());
        assertEquals(128, meta.get("context_size").asInt());
        assertEquals(topk, SaeLensConfig.parse(topk.toJson(), CFG));

        SaeLensConfig jump = new SaeLensConfig(SaeArchitecture.JUMPRELU, 16, 64, 0, false, false,
                SaeMetadata.unknown(), null, "float32");
        JsonNode k = JSON.readTree(jump.toJson());
        assertFalse(k.has("k"), "k belongs to TopK configs only");
        assertTrue(k.get("metadata").get("context_size").isNull(), "unknown context size is null, not 0");
        assertEquals(jump, SaeLensConfig.parse(jump.toJson(), CFG));
    }

    @Test
    void refusesWhatIsNotAnObject() {
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLensConfig.parse("[1, 2]", CFG));
        assertEquals(CFG + ": not a JSON object; a SAELens cfg.json is an object of fields", e.getMessage());
        e = assertThrows(SaeFormatException.class, () -> SaeLensConfig.parse("{\"d_in\": 1, \"d_in\": 2}", CFG));
        assertTrue(e.getMessage().startsWith(CFG + ": not valid JSON"), e.getMessage());
    }

    @Test
    void refusesNegativeSizesAndMissingFiles() {
        SaeFormatException e = assertThrows(SaeFormatException.class,
                () -> SaeLensConfig.parse("{\"d_in\": -4, \"d_sae\": 8}", CFG));
        assertEquals(CFG + ": field 'd_in' must be a positive integer, got -4", e.getMessage());
        Path absent = Path.of("/nonexistent/cfg.json");
        e = assertThrows(SaeFormatException.class, () -> SaeLensConfig.read(absent));
        assertEquals(absent + ": no such file", e.getMessage());
    }

    @Test
    void refusesAnUnknownReshape() {
        SaeFormatException e = assertThrows(SaeFormatException.class, () -> SaeLensConfig.parse(
                "{\"d_in\": 4, \"d_sae\": 8, \"reshape_activations\": \"hook_q\"}", CFG));
        assertEquals(CFG + ": reshape_activations 'hook_q' is not supported (none or hook_z)", e.getMessage());
    }
}
