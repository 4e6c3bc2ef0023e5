package dev.scalpel.core.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Patterns match as huggingface_hub's allow/ignore patterns do (Python's fnmatch on the whole path). */
class HubFileSelectionTest {
    @Test
    void starCrossesFolderBoundariesAsInFnmatch() {
        assertTrue(FileSelection.matches("*.json", "config.json"));
        assertTrue(FileSelection.matches("*.json", "onnx/config.json"));
        assertTrue(FileSelection.matches("data/*.json", "data/sub/x.json"));
        assertFalse(FileSelection.matches("config.json", "sub/config.json"));
        assertFalse(FileSelection.matches("*.json", "config.jsonl"));
    }

    @Test
    void questionMarksSetsAndFolderPatterns() {
        assertTrue(FileSelection.matches("model-0000?-of-00002.safetensors", "model-00001-of-00002.safetensors"));
        assertFalse(FileSelection.matches("model-0000?-of-00002.safetensors", "model-000010-of-00002.safetensors"));
        assertTrue(FileSelection.matches("model-0000[12]*", "model-00002-of-00002.safetensors"));
        assertFalse(FileSelection.matches("model-0000[!12]*", "model-00002-of-00002.safetensors"));
        assertTrue(FileSelection.matches("model-0000[0-9]*", "model-00007-of-00009.safetensors"));
        assertTrue(FileSelection.matches("original/", "original/params.json"));
        assertTrue(FileSelection.matches("a[b", "a[b"), "an unclosed '[' is literal");
        assertTrue(FileSelection.matches("v1.0+x", "v1.0+x"), "regex characters are literal");
        assertFalse(FileSelection.matches("v1.0", "v1x0"));
        assertFalse(FileSelection.matches("*.JSON", "config.json"), "case-sensitive, as fnmatch on Linux");
    }

    @Test
    void defaultsTakeWhatLoadingNeedsAndNothingElse() {
        FileSelection d = FileSelection.defaults();
        for (String yes : List.of("config.json", "model.safetensors", "model-00001-of-00004.safetensors",
                "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json",
                "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model")) {
            assertTrue(d.selects(yes), yes);
        }
        for (String no : List.of("README.md", "pytorch_model.bin", "model.onnx", "tf_model.h5", "flax_model.msgpack",
                ".gitattributes", "onnx/config.json")) {
            assertFalse(d.selects(no), no);
        }
    }

    @Test
    void neverByDefaultFilesNeedAnIncludeThatNamesThem() {
        FileSelection everything = new FileSelection(List.of("*"), List.of());
        assertFalse(everything.selects("pytorch_model.bin"));
        assertFalse(everything.selects("onnx/model.onnx"));
        assertTrue(everything.selects("README.md"));
        assertTrue(new FileSelection(List.of("*.onnx"), List.of()).selects("onnx/model.onnx"));
        assertTrue(new FileSelection(List.of("pytorch_model.bin"), List.of()).selects("pytorch_model.bin"));
    }

    @Test
    void excludeIsAppliedAfterInclude() {
        FileSelection s = new FileSelection(List.of("*.json"), List.of("tokenizer*", "*/*"));
        assertTrue(s.selects("config.json"));
        assertFalse(s.selects("tokenizer_config.json"));
        assertFalse(s.selects("sub/config.json"));
        assertEquals(FileSelection.DEFAULT_INCLUDE, new FileSelection(List.of(), List.of("x")).include());
        assertThrows(HubException.class, () -> new FileSelection(List.of(" "), List.of()));
    }
}
