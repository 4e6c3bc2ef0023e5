package dev.scalpel.interpret.harvest;

import dev.scalpel.core.io.Sha256;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.WeightFingerprint;
import dev.scalpel.core.run.Provenance;
import dev.scalpel.core.run.RunFolder;
import dev.scalpel.core.run.RunInputs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one hook point's activations over a list of texts into shard files ({@link HarvestManifest#shardName}),
 * each {@code x [rows, d]} with {@code text_index} and {@code position} per row, plus a {@code manifest.json}.
 *
 * <p>The folder is a run folder ({@link RunFolder}): its {@code run.json} keys the harvest by the configuration, the
 * weights' fingerprint, the token source (tokenizer file and BOS handling) and the texts' hash, so a harvest with any
 * of them different is refused, naming what differs. Memory stays bounded by one shard buffer and one batch's
 * activations, whatever the number of texts. Running again on the same folder resumes: finished shards are kept, the
 * rest is recomputed with every batch formed as before (texts are batched by index), so the rows are computed as an
 * uninterrupted run computes them.
 *
 * <p>Works for causal LMs and encoders alike; the hook's activation must be {@code [batch, position, ...]} (trailing
 * dimensions, such as heads, are flattened into the row).
 */
public final class ActivationHarvester {
    private static final String JOB = "harvest";

    private final TransformerModel model;

    private final TokenSource tokens;
    private final String modelName;
    private String weights;   // the fingerprint, computed once when first needed
    private final HarvestConfig config;
    private final int maxTokens;
    private final ActivationStream stream;

    /**
     * @param modelName recorded in the run's provenance (a Hugging Face id or folder name); the weights' fingerprint,
     *     not the name, keys the harvest
     */
    public ActivationHarvester(TransformerModel model, TokenSource tokens, String modelName, HarvestConfig config) {
        this.model = model;
        this.tokens = tokens;
        this.modelName = modelName;
        this.config = config;
        if (!model.hookPoints().contains(config.hookName())) {
            throw new ScalpelException("unknown hook point '" + config.hookName() + "' for "
                    + model.architecture().modelType() + " (for example " + model.hookPoints().get(0) + ")");
        }
        if (config.hookName().endsWith("hook_pattern") || config.hookName().endsWith("hook_attn_scores")) {
            throw new ScalpelException(config.hookName() + " is [batch, head, query, key]; harvesting takes hook points"
                    + " shaped [batch, position, ...]");
        }
        int positions = model.config().maxPositions();
        if (config.contextSize() > positions) {
            throw new ScalpelException("context size " + config.contextSize() + " exceeds the model's " + positions
                    + " positions");
        }
        this.maxTokens = config.contextSize() == 0 ? positions : config.contextSize();
        this.stream = ActivationStream.of(model, List.of(config.hookName())).lastPositionOnly();   // no logits needed
    }

    public HarvestConfig config() {
        return config;
    }

    /** What the harvest of {@code texts} depends on besides its configuration; it draws nothing at random. */
    public RunInputs inputs(List<String> texts) {
        if (weights == null) {
            weights = WeightFingerprint.of(model);
        }
        return new RunInputs(modelName, weights, Map.of("texts", Sha256.ofTexts(texts), "tokenizer", tokens.fingerprint()), 0);
    }

    /** The run key of the harvest of {@code texts}: the one definition, for callers that choose a keyed folder. */
    public ObjectNode key(List<String> texts) {
        return RunFolder.key(JOB, config, inputs(texts));
    }

    /**
     * Harvests {@code texts} into {@code folder} (created if needed), resuming what an earlier run of the same harvest
     * left there.
     *
     * @throws ScalpelException if the folder holds a harvest with another key, or one without a run.json (an older
     *     Scalpel's, whose key cannot be checked)
     */
    public HarvestManifest run(List<String> texts, Path folder, HarvestProgress progress) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new ScalpelException(folder + ": cannot create the harvest folder: " + e.getMessage(), e);
        }
        // Refused before run.json is written: a folder the harvest will not use is left as it was found.
        if (!Files.exists(folder.resolve(RunFolder.RUN_FILE)) && HarvestResume.holdsHarvestFiles(folder)) {
            throw new ScalpelException(folder + ": holds a harvest without " + RunFolder.RUN_FILE + " (made by an older "
                    + "Scalpel, or damaged), so what it was made from cannot be checked; delete it or harvest into "
                    + "another folder");
        }
        RunInputs inputs = inputs(texts);
        RunFolder.open(folder, RunFolder.key(JOB, config, inputs), Provenance.of(inputs, Map.of("hook", config.hookName())));
        HarvestManifest fresh = new HarvestManifest(config, 0, texts.size(), List.of(), 0, false);
        HarvestResume resume = HarvestResume.prepare(folder, fresh);
        if (resume.finished()) {
            HarvestManifest m = resume.manifest();
            progress.update(m.textCount(), m.textCount(), m.rows(), m.shards().size());
            return m;
        }
        resume.manifest().write(folder);
        return new Run(folder, texts, resume, progress).harvest();
    }

    /** One pass over the texts from the resume point. */
    private final class Run {
        private final Path folder;
        private final List<String> texts;
        private final HarvestProgress progress;
        private HarvestManifest manifest;
        private final List<HarvestManifest.Shard> shards;
        private final long startText;
        private long skipRows;
        private ShardBuffer buffer;
        private long rows;

        Run(Path folder, List<String> texts, HarvestResume resume, HarvestProgress progress) {
            this.folder = folder;
            this.texts = texts;
            this.progress = progress;
            this.manifest = resume.manifest();
            this.shards = new ArrayList<>(manifest.shards());
            this.startText = resume.nextText();
            this.skipRows = resume.rowsOfNextText();
            this.rows = manifest.rows();
            if (manifest.dimension() > 0) {
                buffer = new ShardBuffer(config.shardRows(), manifest.dimension(), config.dtype());
            }
        }

        HarvestManifest harvest() {
            int b = config.batchSize();
            progress.update(startText, texts.size(), rows, shards.size());
            for (long first = startText / b * b; first < texts.size(); first += b) {
                int last = (int) Math.min(texts.size(), first + b);
                batch((int) first, last);
                if (last < texts.size()) {
                    progress.update(last, texts.size(), rows, shards.size());
                }
            }
            if (buffer == null || rows == 0) {
                throw new ScalpelException("no activations: every text was empty or held only BOS tokens");
            }
            if (buffer.count() > 0) {
                writeShard();
            }
            manifest = manifest.with(shards, texts.size(), true, manifest.dimension());
            manifest.write(folder);
            progress.update(texts.size(), texts.size(), rows, shards.size());
            return manifest;
        }

        private void batch(int first, int last) {
            List<Integer> index = new ArrayList<>();
            List<TokenSource.Tokens> toks = new ArrayList<>();
            // A resumed run forms the interrupted batch exactly as the first run did, texts before the resume point
            // included (their rows are dropped in append): another batch composition would pad to another length,
            // libtorch would take other kernels and the rows would differ in their last bits.
            for (int t = first; t < last; t++) {
                TokenSource.Tokens tk;
                try {
                    tk = tokens.tokenize(texts.get(t), maxTokens);
                } catch (ScalpelException e) {
                    throw new ScalpelException("text " + t + ": " + e.getMessage(), e);
                }
                if (tk.length() > 0) {
                    index.add(t);
                    toks.add(tk);
                }
            }
            if (toks.isEmpty()) {
                return;
            }
            // Padding id 0, and no mask when nothing is padded: a lone text runs as a plain forward pass.
            TokenBatch batch = TokenBatch.right(toks.stream().map(TokenSource.Tokens::ids).toList(), 0).maskedOnlyWhenPadded();
            float[] flat = activations(batch);
            int d = Math.toIntExact(flat.length / ((long) batch.size() * batch.length()));
            if (buffer == null) {
                buffer = new ShardBuffer(config.shardRows(), d, config.dtype());
                manifest = manifest.with(shards, manifest.textsDone(), false, d);
            } else if (d != manifest.dimension()) {
                throw new ScalpelException(folder + ": rows at " + config.hookName() + " are " + d
                        + " wide but the harvest there has " + manifest.dimension());
            }
            for (int r = 0; r < batch.size(); r++) {
                emit(index.get(r), toks.get(r), flat, (long) r * batch.length() * d, d);
            }
        }

        private float[] activations(TokenBatch batch) {
            return stream.forward(batch, pass ->
                    pass.at(config.hookName()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
        }

        /** The rows of one text (its activations start at {@code base} in {@code flat}). */
        private void emit(long text, TokenSource.Tokens tk, float[] flat, long base, int d) {
            boolean[] drop = tk.bos();
            switch (config.mode()) {
                case TOKENS -> {
                    for (int p = 0; p < tk.length(); p++) {
                        if (!(config.excludeBos() && drop[p])) {
                            append(flat, Math.toIntExact(base + (long) p * d), text, p);
                        }
                    }
                }
                case MEAN -> {
                    double[] sum = new double[d];
                    int n = 0;
                    for (int p = 0; p < tk.length(); p++) {
                        if (!(config.excludeBos() && drop[p])) {
                            int off = Math.toIntExact(base + (long) p * d);
                            for (int j = 0; j < d; j++) {
                                sum[j] += flat[off + j];
                            }
                            n++;
                        }
                    }
                    if (n > 0) {
                        float[] mean = new float[d];
                        for (int j = 0; j < d; j++) {
                            mean[j] = (float) (sum[j] / n);
                        }
                        append(mean, 0, text, -1);
                    }
                }
                case LAST -> {
                    for (int p = tk.length() - 1; p >= 0; p--) {
                        if (!(config.excludeBos() && drop[p])) {
                            append(flat, Math.toIntExact(base + (long) p * d), text, -1);
                            break;
                        }
                    }
                }
            }
        }

        private void append(float[] src, int offset, long text, int position) {
            if (text < startText) {
                return;   // recomputed only to form the batch as before; its rows are in a kept shard
            }
            if (text == startText && skipRows > 0) {
                skipRows--;   // already in a kept shard
                return;
            }
            buffer.append(src, offset, text, position);
            rows++;
            if (buffer.full()) {
                writeShard();
                manifest = manifest.with(shards, text, false, manifest.dimension());
                manifest.write(folder);
            }
        }

        private void writeShard() {
            String name = HarvestManifest.shardName(shards.size());
            int n = buffer.count();
            buffer.writeTo(folder.resolve(name));
            shards.add(new HarvestManifest.Shard(name, n));
        }
    }
}
