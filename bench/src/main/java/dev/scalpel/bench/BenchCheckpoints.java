package dev.scalpel.bench;

import dev.scalpel.core.io.AtomicFiles;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scalpel.core.io.DType;
import dev.scalpel.core.io.SafetensorsFile;
import dev.scalpel.core.io.SafetensorsWriter;
import dev.scalpel.core.model.ModelWriter;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Randomly initialized checkpoints of real model shapes, written once as Hugging Face folders: GPT-2 small (124M) and
 * a Llama-shaped model of about 150M parameters. Each peer engine loads the very same file.
 */
final class BenchCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchCheckpoints() {
    }

    static ObjectNode gpt2SmallConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "gpt2").putArray("architectures").add("GPT2LMHeadModel");
        c.put("vocab_size", 50257).put("n_embd", 768).put("n_layer", 12).put("n_head", 12).put("n_positions", 1024)
                .put("n_ctx", 1024).put("layer_norm_epsilon", 1e-5).put("activation_function", "gelu_new")
                .put("bos_token_id", 50256).put("eos_token_id", 50256).put("tie_word_embeddings", true)
                .put("initializer_range", 0.02);
        return c;
    }

    static ObjectNode llama150mConfig() {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM");
        c.put("vocab_size", 32000).put("hidden_size", 768).put("num_hidden_layers", 14).put("num_attention_heads", 12)
                .put("num_key_value_heads", 4).put("intermediate_size", 2304).put("max_position_embeddings", 2048)
                .put("rms_norm_eps", 1e-5).put("hidden_act", "silu").put("rope_theta", 10000.0)
                .put("bos_token_id", 1).put("eos_token_id", 2).put("tie_word_embeddings", false)
                .put("initializer_range", 0.02);
        return c;
    }

    /** The folder of a benchmark checkpoint, written on first use under {@code root}. */
    static Path ensure(Path root, String name, ObjectNode config) {
        Path folder = root.resolve(name);
        if (Files.exists(folder.resolve("model.safetensors"))) {
            return folder;
        }
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel m = Models.initialize(config, 1234, DType.F32, nd)) {
            Path tmp = root.resolve(name + ".tmp");
            ModelWriter.save(m, tmp);
            copyResource("/bench/gpt2/tokenizer.json", tmp.resolve("tokenizer.json"));
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * jlama reads GPT-2 under the hub's original names (h.0..., wte...), without transformers' "transformer." prefix:
     * a copy of the same tensors under those names.
     */
    static Path hubNamedCopy(Path gpt2, Path root) {
        Path folder = root.resolve(gpt2.getFileName() + "-hub-names");
        if (Files.exists(folder.resolve("model.safetensors"))) {
            return folder;
        }
        try {
            Files.createDirectories(folder);
            for (String f : List.of("config.json", "tokenizer.json")) {
                AtomicFiles.copy(gpt2.resolve(f), folder.resolve(f));
            }
            try (SafetensorsFile in = SafetensorsFile.open(gpt2.resolve("model.safetensors"))) {
                List<SafetensorsWriter.Entry> entries = new ArrayList<>();
                for (String name : in.names()) {
                    entries.add(new SafetensorsWriter.Entry(name.replaceFirst("^transformer\\.", ""), in.info(name).dtype(),
                            in.info(name).shape(), in.segment(name)));
                }
                SafetensorsWriter.write(folder.resolve("model.safetensors"), entries, Map.of("format", "pt"));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = BenchCheckpoints.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            AtomicFiles.write(target, out -> in.transferTo(out));
        }
    }
}
