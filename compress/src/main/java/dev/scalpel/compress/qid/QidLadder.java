package dev.scalpel.compress.qid;

import dev.scalpel.compress.model.ModelQuantizer;
import dev.scalpel.compress.quant.Gptq;
import dev.scalpel.compress.quant.QuantizationScheme;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.FinishedLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The QiD ladder: every checkpoint of every model size, quantized at every width by every method, and its QiD on the
 * same held-out tokens. Each cell is appended to {@code cells.jsonl} in the work folder as it finishes, keyed by
 * everything that determines it (the model size it stands for, its training tokens and weights, method, width,
 * group size, calibration and held-out tokens), so an interrupted ladder resumes where it stopped and a changed setting recomputes only what it changes.
 */
public final class QidLadder {
    /** One checkpoint: a model folder, the model size it belongs to and the tokens it was trained on. */
    public record Checkpoint(String model, Path folder, double tokens) {
    }

    /**
     * @param calibrationWindows GPTQ's calibration windows per checkpoint
     * @param window tokens per calibration and evaluation window
     */
    public record Config(List<Integer> bits, List<ModelQuantizer.Method> methods, int groupSize, int calibrationWindows,
                         int window) {
        public Config {
            bits = List.copyOf(bits);
            methods = List.copyOf(methods);
            if (bits.isEmpty() || methods.isEmpty() || calibrationWindows < 1 || window < 2) {
                throw new IllegalArgumentException("a QiD ladder needs bit widths, methods, calibration windows and"
                        + " windows of at least 2 tokens");
            }
        }
    }

    /**
     * One finished cell.
     *
     * @param parameters the model's non-embedding parameters (the law's N)
     * @param fullLoss the full-precision model's held-out loss (nats per token)
     */
    public record Cell(String key, String model, String checkpoint, double parameters, double tokens, int bits,
                       String method, double fullLoss, double quantizedLoss, double qid, double seconds) {
        public QidObservation observation() {
            return new QidObservation(parameters, tokens, bits, qid);
        }
    }

    /** A checkpoint's held-out loss at full precision, kept in {@code full-precision.jsonl}. */
    public record FullPrecision(String key, String model, String checkpoint, double loss, double seconds) {
    }

    private final Config config;
    private final int[] calibration;
    private final int[] heldOut;
    private final Path work;
    private final Consumer<String> log;

    public QidLadder(Config config, int[] calibration, int[] heldOut, Path work, Consumer<String> log) {
        this.config = config;
        this.calibration = calibration.clone();
        this.heldOut = heldOut.clone();
        this.work = work;
        this.log = log;
    }

    /** The checkpoints of a training run's ladder: its {@code tokens-N} folders, N the tokens seen. */
    public static List<Checkpoint> ladder(String model, Path checkpoints) {
        try (Stream<Path> folders = Files.list(checkpoints)) {
            List<Checkpoint> out = folders.filter(f -> f.getFileName().toString().matches("tokens-\\d+")
                            && Files.isRegularFile(f.resolve("config.json"))).sorted()
                    .map(f -> new Checkpoint(model, f, Double.parseDouble(f.getFileName().toString().substring(7))))
                    .toList();
            if (out.isEmpty()) {
                throw new ScalpelException(checkpoints + ": no tokens-N checkpoint folders (a training run's "
                        + "checkpoints/ folder holds them)");
            }
            return out;
        } catch (IOException e) {
            throw new ScalpelException(checkpoints + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Every cell of the ladder, computing those not already finished. */
    public List<Cell> run(List<Checkpoint> checkpoints) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(work + ": cannot create", e);
        }
        Path file = work.resolve("cells.jsonl");
        Map<String, Cell> finished;
        try {
            finished = FinishedLines.read(file, Cell.class, Cell::key);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        Path fullFile = work.resolve("full-precision.jsonl");
        Map<String, FullPrecision> fullDone;
        try {
            fullDone = FinishedLines.read(fullFile, FullPrecision.class, FullPrecision::key);
        } catch (IOException e) {
            throw new UncheckedIOException(fullFile + ": cannot read", e);
        }
        String data = dataKey();
        List<Cell> cells = new ArrayList<>();
        int total = checkpoints.size() * config.bits().size() * config.methods().size();
        for (Checkpoint checkpoint : checkpoints) {
            String weights;
            double parameters;
            double fullLoss;
            try (TransformerModel model = Models.load(checkpoint.folder())) {
                weights = WeightFingerprint.of(model);
                parameters = nonEmbeddingParameters(model);
                // The full-precision loss is a cell of its own: a resumed ladder does not measure it again.
                String fullKey = Sha256.of(String.join("|", "full-precision", weights, data));
                FullPrecision full = fullDone.get(fullKey);
                if (full == null) {
                    long start = System.nanoTime();
                    full = new FullPrecision(fullKey, checkpoint.model(), checkpoint.folder().getFileName().toString(),
                            QuantizationDegradation.loss(model, heldOut, window(model), 8), (System.nanoTime() - start) / 1e9);
                    FinishedLines.append(fullFile, full);
                    fullDone.put(fullKey, full);
                }
                fullLoss = full.loss();
            }
            for (ModelQuantizer.Method method : config.methods()) {
                for (int bits : config.bits()) {
                    // The cell's D and model size are part of what it records, so they are part of its key.
                    String key = Sha256.of(String.join("|", checkpoint.model(), Double.toString(checkpoint.tokens()),
                            weights, method.name(), Integer.toString(bits), Integer.toString(config.groupSize()), data));
                    Cell done = finished.get(key);
                    if (done == null) {
                        done = compute(checkpoint, key, method, bits, parameters, fullLoss);
                        FinishedLines.append(file, done);
                    }
                    cells.add(done);
                    log.accept(String.format(Locale.ROOT, "[%d/%d] %s %s %s %d-bit: QiD %.4f", cells.size(), total,
                            checkpoint.model(), checkpoint.folder().getFileName(),
                            method.name().toLowerCase(Locale.ROOT), bits, done.qid()));
                }
            }
        }
        return cells;
    }

    /** The digest of the token ids (as little-endian int32, lengths first) and the windows cut from them. */
    private String dataKey() {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * (4 + calibration.length + heldOut.length))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(calibration.length).putInt(heldOut.length).putInt(config.window())
                .putInt(config.calibrationWindows());
        bytes.asIntBuffer().put(calibration).put(heldOut);
        return Sha256.of(bytes.array());
    }

    private Cell compute(Checkpoint checkpoint, String key, ModelQuantizer.Method method, int bits, double parameters,
                         double fullLoss) {
        long start = System.nanoTime();
        try (TransformerModel model = Models.load(checkpoint.folder())) {
            int window = window(model);
            var scheme = new QuantizationScheme(bits, config.groupSize(), true);
            var quantizer = new ModelQuantizer(model, new ModelQuantizer.Config(method, Gptq.Config.of(scheme)), s -> { });
            quantizer.quantize(method == ModelQuantizer.Method.GPTQ ? calibrationWindows(window) : List.of(), 8);
            double quantizedLoss = QuantizationDegradation.loss(model, heldOut, window, 8);
            return new Cell(key, checkpoint.model(), checkpoint.folder().getFileName().toString(), parameters,
                    checkpoint.tokens(), bits, method.name().toLowerCase(Locale.ROOT), fullLoss, quantizedLoss,
                    QuantizationDegradation.of(fullLoss, quantizedLoss), (System.nanoTime() - start) / 1e9);
        }
    }

    private int window(TransformerModel model) {
        return Math.min(config.window(), model.config().maxPositions());
    }

    /** Calibration windows at offsets drawn with seed 0: the same for every checkpoint and width. */
    private List<long[]> calibrationWindows(int window) {
        if (calibration.length < window) {
            throw new ScalpelException("the calibration text has " + calibration.length + " tokens, fewer than one window"
                    + " of " + window);
        }
        SplittableRandom random = new SplittableRandom(0);
        List<long[]> windows = new ArrayList<>();
        for (int i = 0; i < config.calibrationWindows(); i++) {
            int offset = random.nextInt(calibration.length - window + 1);
            windows.add(Arrays.stream(calibration, offset, offset + window).asLongStream().toArray());
        }
        return windows;
    }

    /** N as the paper counts it: every parameter but the token embedding and an untied output head (vocab x d each). */
    static double nonEmbeddingParameters(TransformerModel model) {
        var c = model.config();
        long embedding = (long) c.vocabSize() * c.hiddenSize();
        return model.parameters().count() - embedding * (c.tiedEmbeddings() ? 1 : 2);
    }
}
