package dev.scalpel.bench;

import ai.djl.ndarray.NDManager;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import dev.scalpel.compress.gptq.GptqCheckpoint;
import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.core.generate.Generator;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decoding with low-bit weights, side by side in one run: Scalpel in float32 and with its packed 4- and 8-bit GPTQ
 * weights (round-to-nearest codes, groups of 128: GPTQ's codes would run at the same speed), against jlama in float32
 * and with its own Q4 and I8 weights. Scalpel's resident weight bytes are reported beside each decode speed.
 */
final class QuantizedDecodeBench {
    private static final int GROUP = 128;

    private QuantizedDecodeBench() {
    }

    static List<Measurement> run(String name, Path scalpelFolder, Path jlamaFolder, Path work, int vocab, int repeats) {
        long[] prompt = GenerationBench.randomIds(GenerationBench.PROMPT, vocab, 1);
        List<Measurement> out = new ArrayList<>();
        out.addAll(scalpel(name, scalpelFolder, "float32", prompt, repeats));
        for (int bits : new int[] {4, 8}) {
            Path folder = work.resolve(scalpelFolder.getFileName() + "-rtn-" + bits + "bit-g" + GROUP);
            quantizeOnce(scalpelFolder, folder, bits);
            out.addAll(scalpel(name, folder, bits + "-bit GPTQ layout, groups of " + GROUP, prompt, repeats));
        }
        out.add(jlama(name, jlamaFolder, "float32", DType.F32, prompt, repeats));
        for (DType type : new DType[] {DType.Q4, DType.I8}) {
            try {
                out.add(jlama(name, jlamaQuantized(jlamaFolder, type), type.name(), DType.I8, prompt, repeats));
            } catch (RuntimeException e) {
                // jlama 0.8.4 cannot load its own Q4 GPT-2 (it transposes Conv1D weights, which Q4 tensors refuse):
                // say so in the output rather than lose the measurements already made.
                System.out.println("decode-quantized." + name + ": jlama " + type + " did not run: " + e);
            }
        }
        return out;
    }

    private static List<Measurement> scalpel(String name, Path folder, String weights, long[] prompt, int repeats) {
        Map<String, Object> settings = Map.of("prompt_tokens", GenerationBench.PROMPT, "new_tokens",
                GenerationBench.NEW_TOKENS, "batch", 1, "weights", weights, "decoding", "greedy with KV cache");
        try (NDManager nd = NDManager.newBaseManager(); TransformerModel model = Models.load(folder, nd)) {
            Generator generator = new Generator(model, null, 0);
            double[] decode = Repeat.runs(1, repeats, () -> GenerationBench.scalpelDecode(generator, prompt));
            double mib = model.parameters().residentBytes() / (1024.0 * 1024.0);
            return List.of(
                    new Measurement("decode-quantized." + name, "scalpel " + weights, Repeat.median(decode), "tokens/s",
                            decode, settings),
                    new Measurement("weights-resident." + name, "scalpel " + weights, mib, "MiB", new double[] {mib},
                            settings));
        }
    }

    private static void quantizeOnce(Path source, Path folder, int bits) {
        if (GptqCheckpoint.isQuantized(folder)) {
            return;
        }
        var config = new ModelQuantizer.Config(ModelQuantizer.Method.RTN,
                Gptq.Config.of(new QuantizationScheme(bits, GROUP, true)));
        try (TransformerModel model = Models.load(source)) {
            GptqCheckpoint.write(model, new ModelQuantizer(model, config, s -> { }).quantize(List.of(), 1), folder);
        }
    }

    private static Measurement jlama(String name, Path folder, String weights, DType working, long[] prompt,
                                     int repeats) {
        Map<String, Object> settings = Map.of("prompt_tokens", GenerationBench.PROMPT, "new_tokens",
                GenerationBench.NEW_TOKENS, "batch", 1, "weights", weights, "working_quantization", working.name());
        try (AbstractModel jlama = ModelSupport.loadModel(folder.toFile(), DType.F32, working)) {
            double[] decode = Repeat.runs(1, repeats, () -> GenerationBench.jlamaDecode(jlama, prompt));
            return new Measurement("decode-quantized." + name, "jlama " + weights, Repeat.median(decode), "tokens/s",
                    decode, settings);
        }
    }

    /** jlama's own quantized copy of a checkpoint, written next to it once. */
    private static Path jlamaQuantized(Path folder, DType type) {
        Path target = folder.resolveSibling(folder.getFileName() + "-jlama-" + type.name());
        try {
            if (!Files.isDirectory(target)) {
                Path readme = folder.resolve("README.md");   // jlama copies the model card along and fails without one
                if (!Files.exists(readme)) {
                    Files.writeString(readme, "# " + folder.getFileName() + "\n\nRandom weights for benchmarks.\n");
                }
                // Written aside and renamed, so an interrupted run leaves no half-quantized folder to be taken as done.
                Path partial = folder.resolveSibling(target.getFileName() + ".partial");
                dev.scalpel.core.io.Folders.deleteRecursively(partial);
                SafeTensorSupport.quantizeModel(folder, type, new String[0], new String[0], Optional.of(partial));
                Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("jlama could not quantize " + folder + " to " + type, e);
        }
    }
}
