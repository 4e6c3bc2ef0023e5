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
        out.add(ResidentMemoryProbe.measure(name, "scalpel", "float32", scalpelFolder, "F32", vocab));
        String source = sourceKey(scalpelFolder);
        for (int bits : new int[] {4, 8}) {
            // Named by the source's bytes: a regenerated random checkpoint is never measured through a stale copy.
            Path folder = work.resolve(scalpelFolder.getFileName() + "-" + source + "-rtn-" + bits + "bit-g" + GROUP);
            quantizeOnce(scalpelFolder, folder, bits);
            String weights = bits + "-bit GPTQ layout, groups of " + GROUP;
            out.addAll(scalpel(name, folder, weights, prompt, repeats));
            out.add(ResidentMemoryProbe.measure(name, "scalpel", weights, folder, "F32", vocab));
        }
        out.add(jlama(name, jlamaFolder, "float32", DType.F32, prompt, repeats));
        out.add(ResidentMemoryProbe.measure(name, "jlama", "float32", jlamaFolder, "F32", vocab));
        for (DType type : new DType[] {DType.Q4, DType.I8}) {
            try {
                Path quantized = jlamaQuantized(jlamaFolder, type);
                out.add(jlama(name, quantized, type.name(), DType.I8, prompt, repeats));
                out.add(ResidentMemoryProbe.measure(name, "jlama", type.name(), quantized, "I8", vocab));
            } catch (RuntimeException e) {
                // jlama 0.8.4 cannot load its own Q4 GPT-2 (it transposes Conv1D weights, which Q4 tensors refuse):
                // say so in the output rather than lose the measurements already made.
                System.out.println("decode-quantized." + name + ": jlama " + type + " did not run: " + e);
            }
        }
        out.addAll(gptqTiming(name, scalpelFolder, vocab));
        return out;
    }

    private static final int CALIBRATION_WINDOWS = 32;
    private static final int CALIBRATION_TOKENS = 256;

    /**
     * GPTQ's cost on the whole model: 4 bits, groups of 128, act-order off, 32 calibration windows of 256 random
     * tokens (the cost depends on the shapes and token count, not on the text). Per block: the wall time from one
     * block's end to the next's (its calibration pass plus its modules' solves); per module: the solve alone.
     */
    static List<Measurement> gptqTiming(String name, Path folder, int vocab) {
        List<long[]> calibration = new ArrayList<>();
        for (int i = 0; i < CALIBRATION_WINDOWS; i++) {
            calibration.add(GenerationBench.randomIds(CALIBRATION_TOKENS, vocab, 100 + i));
        }
        Map<String, Object> settings = Map.of("bits", 4, "group_size", GROUP, "calibration", CALIBRATION_WINDOWS + " x "
                + CALIBRATION_TOKENS + " tokens", "rows_per_pass", 8);
        try (TransformerModel model = Models.load(folder)) {
            var config = new ModelQuantizer.Config(ModelQuantizer.Method.GPTQ,
                    Gptq.Config.of(new QuantizationScheme(4, GROUP, true)));
            List<Double> blocks = new ArrayList<>();
            long[] last = {System.nanoTime()};
            long start = last[0];
            var result = new ModelQuantizer(model, config, line -> {
                long now = System.nanoTime();
                blocks.add((now - last[0]) / 1e9);
                last[0] = now;
            }).quantize(calibration, 8);
            double total = (System.nanoTime() - start) / 1e9;
            double[] perBlock = blocks.stream().mapToDouble(Double::doubleValue).toArray();
            double[] perModule = result.reports().stream().mapToDouble(ModelQuantizer.ModuleReport::seconds).toArray();
            return List.of(
                    new Measurement("gptq-model." + name, "scalpel GPTQ", total, "s", new double[] {total}, settings),
                    new Measurement("gptq-block." + name, "scalpel GPTQ", Repeat.median(perBlock), "s", perBlock, settings),
                    new Measurement("gptq-module." + name, "scalpel GPTQ solve", Repeat.median(perModule), "s", perModule,
                            settings));
        }
    }

    /** A short digest of the checkpoint's config.json and weight file sizes and first megabyte. */
    private static String sourceKey(Path folder) {
        try {
            var digest = dev.scalpel.core.io.Sha256.digest();
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".safetensors")
                        || f.getFileName().toString().equals("config.json")).sorted().toList()) {
                    digest.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    digest.update(java.nio.ByteBuffer.allocate(8).putLong(Files.size(f)).array());
                    try (var in = Files.newInputStream(f)) {
                        digest.update(in.readNBytes(1 << 20));
                    }
                }
            }
            return dev.scalpel.core.io.Sha256.hex(digest).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot read", e);
        }
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
