package dev.scalpel.cli;

import dev.scalpel.compress.gptq.GptqCheckpoint;
import dev.scalpel.compress.gptq.GptqTensors;
import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.core.LoadedModel;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.AtomicFiles;
import dev.scalpel.core.model.LinearModule;
import dev.scalpel.core.text.Corpus;
import dev.scalpel.lab.build.LabSpec;
import dev.scalpel.lab.corpus.LabCorpus;
import dev.scalpel.lab.build.LabProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalpel quantize}: RTN or GPTQ over every linear module of a model's blocks, written in transformers' GPTQ
 * layout (loadable by transformers with a GPTQ backend, and by every Scalpel command that takes a model).
 */
@Command(name = "quantize", description = {
    "Quantize every linear module of a model's blocks with RTN or GPTQ at 2, 3, 4 or 8 bits and write the result in",
    "the Hugging Face GPTQ format (qweight / qzeros / scales / g_idx, quantization_config in config.json), with",
    "quantization.json: each module's output error on the calibration inputs, its damping and seconds."})
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "a model folder, org/name[@revision] or a named model")
    String model;

    @Option(names = "--method", defaultValue = "gptq", description = "rtn or gptq (default ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--bits", required = true, description = "2, 3, 4 or 8")
    int bits;

    @Option(names = "--group-size", defaultValue = "128", description = {
        "inputs sharing a scale and zero point (default ${DEFAULT-VALUE}; 0: one per output row)"})
    int groupSize;

    @Option(names = "--asymmetric", description = "fit each group's range [min, max] instead of a symmetric [-m, m]")
    boolean asymmetric;

    @Option(names = "--act-order", description = "GPTQ: visit inputs by descending Hessian diagonal (desc_act)")
    boolean actOrder;

    @Option(names = "--static-groups", description = "GPTQ with --act-order: fit the groups up front, on the original order")
    boolean staticGroups;

    @Option(names = "--damping", defaultValue = "0.01", description = {
        "GPTQ: damping as a share of the Hessian's mean diagonal, raised tenfold while the Cholesky factorization fails",
        "(default ${DEFAULT-VALUE}, the reference's; transformers' GPTQConfig uses 0.1)"})
    double damping;

    @Option(names = "--calib", paramLabel = "FILE_OR_DIR", description = {
        "calibration text: a .txt file is one document, each line of a .jsonl(.gz) one (its \"text\" field); a folder",
        "is read recursively (default: the lab's training prose)"})
    Path calib;

    @Option(names = "--calib-samples", defaultValue = "128", description = "calibration windows (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--seqlen", defaultValue = "2048", description = {
        "tokens per calibration window, at most the model's context (default ${DEFAULT-VALUE})"})
    int seqlen;

    @Option(names = "--seed", defaultValue = "0", description = "picks the calibration windows (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the quantized model's folder")
    Path out;

    @Option(names = "--json", description = "end with one line holding quantization.json's contents")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        ModelQuantizer.Method m = ModelQuantizer.Method.parse(method);
        QuantizationScheme scheme;
        try {
            scheme = new QuantizationScheme(bits, groupSize, !asymmetric);
            GptqTensors.requirePackable(bits, 32, 32);
        } catch (IllegalArgumentException e) {
            throw new ScalpelException("--bits / --group-size: " + e.getMessage());
        }
        if (staticGroups && !actOrder) {
            throw new ScalpelException("--static-groups changes only how --act-order forms its groups; give both");
        }
        if (samples < 1 || seqlen < 1) {
            throw new ScalpelException("--calib-samples and --seqlen must be at least 1");
        }
        var config = new ModelQuantizer.Config(m, new Gptq.Config(scheme, actOrder, staticGroups, damping, 128, 4));
        try (LoadedModel loaded = LoadedModel.open(ModelArgument.resolve(model))) {
            for (LinearModule module : loaded.model().linearModules()) {
                try {
                    GptqTensors.requirePackable(bits, module.inFeatures(), module.outFeatures());
                } catch (IllegalArgumentException e) {
                    throw new ScalpelException(module.name() + ": " + e.getMessage());
                }
            }
            int window = Math.min(seqlen, loaded.model().config().maxPositions());
            List<long[]> calibration = calibration(loaded, window, console);
            long start = System.nanoTime();
            var result = new ModelQuantizer(loaded.model(), config, console::println).quantize(calibration, 8);
            double seconds = (System.nanoTime() - start) / 1e9;
            GptqCheckpoint.write(loaded.model(), result, out);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model);
            report.put("method", m.name().toLowerCase(Locale.ROOT));
            report.put("scheme", Map.of("bits", bits, "group_size", groupSize, "symmetric", !asymmetric,
                    "act_order", actOrder, "static_groups", staticGroups, "damping", damping));
            report.put("calibration", Map.of("source", calib == null ? "lab prose (training split)" : calib.toString(),
                    "windows", calibration.size(), "tokens_per_window", window, "seed", seed));
            report.put("seconds", seconds);
            report.put("modules", result.reports());
            AtomicFiles.writeJson(Json.MAPPER.writerWithDefaultPrettyPrinter(), out.resolve("quantization.json"), report);
            double meanError = result.reports().stream().mapToDouble(ModelQuantizer.ModuleReport::relativeOutputError)
                    .average().orElse(Double.NaN);
            double worst = result.reports().stream().mapToDouble(ModelQuantizer.ModuleReport::relativeOutputError).max()
                    .orElse(Double.NaN);
            console.printf(Locale.ROOT, "quantized %d modules in %.1f s; relative output error on the calibration inputs:"
                    + " mean %.4f, worst %.4f%nwrote %s%n", result.reports().size(), seconds, meanError, worst, out);
            if (json) {
                console.println(Json.line(report));
            }
        }
        return 0;
    }

    /** {@code samples} windows of {@code window} tokens at random offsets of the calibration text's token stream. */
    private List<long[]> calibration(LoadedModel loaded, int window, PrintWriter console) {
        Corpus corpus = calib != null ? Corpus.read(calib, Corpus.Reading.documents())
                : Corpus.of("lab-prose", LabCorpus.build(LabSpec.SEED, LabProfile.DEFAULT.corpus()).prose().passages()
                        .train().stream().map(p -> p.text()).toList());
        var tokenizer = loaded.requireTokenizer();
        // Enough text for windows that rarely overlap, without tokenizing a large corpus whole.
        int[] stream = TokenStream.of(tokenizer, corpus.texts(), 4L * samples * window);
        if (stream.length < window) {
            throw new ScalpelException(corpus.name() + ": " + stream.length + " tokens of calibration text, fewer than one"
                    + " window of " + window + " (--seqlen)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            int offset = random.nextInt(stream.length - window + 1);
            windows.add(Arrays.stream(stream, offset, offset + window).asLongStream().toArray());
        }
        console.printf(Locale.ROOT, "calibration: %d windows of %d tokens from %s (%,d tokens read)%n", samples, window,
                corpus.name(), stream.length);
        return windows;
    }
}
