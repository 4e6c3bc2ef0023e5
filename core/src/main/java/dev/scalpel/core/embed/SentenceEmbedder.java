package dev.scalpel.core.embed;

import dev.scalpel.core.activations.TokenPooling;
import ai.djl.ndarray.NDArray;
import dev.scalpel.core.Runtime;
import dev.scalpel.core.activations.ActivationStream;
import dev.scalpel.core.activations.TokenBatch;
import dev.scalpel.core.text.TokenizedText;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.Architecture;
import dev.scalpel.core.model.Models;
import dev.scalpel.core.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence embeddings from a BERT encoder: each text is tokenized ({@link EmbeddingTokenizer}), run through the model,
 * its final hidden states pooled into one vector ({@link TokenPooling}: mean or [CLS]) and, when asked, divided by its
 * L2 norm. Texts are run in batches of similar length, right-padded, with an attention mask; a text's vector does not
 * depend on the batch it was run in (to float rounding: about 1e-7).
 *
 * <p>The embedder owns its model and tokenizer and closes them. It is not safe for use by several threads at once.
 */
public final class SentenceEmbedder implements AutoCloseable {
    /** Texts per forward pass unless a call says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private final TransformerModel model;
    private final EmbeddingTokenizer tokenizer;
    private final TokenPooling pooling;
    private final boolean normalize;

    /** Takes ownership of {@code model} (a BERT encoder) and {@code tokenizer}. */
    public SentenceEmbedder(TransformerModel model, EmbeddingTokenizer tokenizer, TokenPooling pooling, boolean normalize) {
        requireEncoder(model);
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
    }

    /**
     * Opens a BERT folder (config.json, safetensors weights, tokenizer.json). Pooling and normalization follow the
     * folder's sentence-transformers files when it has them, mean pooling with L2 normalization when it does not.
     * A text keeps at most this many tokens, [CLS] and [SEP] included: sentence_bert_config.json's
     * {@code max_seq_length} if given, else tokenizer.json's truncation length (what LangChain4j gets), else the
     * model's {@code max_position_embeddings}; never more than the latter.
     */
    public static SentenceEmbedder open(Path folder) {
        Runtime.init();
        SentenceTransformersConfig st = SentenceTransformersConfig.read(folder);
        TransformerModel model = Models.load(folder);
        try {
            requireEncoder(model);
            Path file = folder.resolve("tokenizer.json");
            if (!Files.isRegularFile(file)) {
                throw new ScalpelException(folder + ": no tokenizer.json; sentence embeddings need the model's tokenizer");
            }
            byte[] json = Files.readAllBytes(file);
            int limit = tokenLimit(model.config().maxPositions(), st.maxSeqLength(),
                    EmbeddingTokenizer.truncationOf(json, file.toString()));
            EmbeddingTokenizer tokenizer = EmbeddingTokenizer.fromJson(json, file.toString(), limit);
            return new SentenceEmbedder(model, tokenizer, st.pooling(), st.normalize());
        } catch (IOException e) {
            model.close();
            throw new ScalpelException(folder + ": cannot read tokenizer.json: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static void requireEncoder(TransformerModel model) {
        if (model.architecture() != Architecture.BERT) {
            throw new ScalpelException("sentence embeddings need an encoder (bert) but the model is "
                    + model.architecture().modelType() + ", a decoder");
        }
    }

    /** The token limit rule of {@link #open}: a configured limit (0 = none) capped at the model's positions. */
    static int tokenLimit(int maxPositions, int maxSeqLength, int tokenizerTruncation) {
        int limit = maxSeqLength > 0 ? maxSeqLength : tokenizerTruncation > 0 ? tokenizerTruncation : maxPositions;
        return Math.min(limit, maxPositions);
    }

    public TransformerModel model() {
        return model;
    }

    public EmbeddingTokenizer tokenizer() {
        return tokenizer;
    }

    public TokenPooling pooling() {
        return pooling;
    }

    public boolean normalizes() {
        return normalize;
    }

    /** Length of every vector: the model's hidden size. */
    public int dimension() {
        return model.config().hiddenSize();
    }

    public float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    /** One vector per text, in order, computed {@value #DEFAULT_BATCH_SIZE} texts at a time. */
    public List<float[]> embedAll(List<String> texts) {
        return embedAll(texts, DEFAULT_BATCH_SIZE);
    }

    /**
     * One vector per text, in order. Texts are sorted by token count and run {@code batchSize} at a time, so that a
     * batch pads little.
     *
     * @throws ScalpelException naming the text (counting from 1) if one has nothing to embed
     */
    public List<float[]> embedAll(List<String> texts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
        List<TokenizedText> encoded = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                encoded.add(tokenizer.encode(texts.get(i)));
            } catch (ScalpelException e) {
                throw new ScalpelException("text " + (i + 1) + " of " + texts.size() + ": " + e.getMessage(), e);
            }
        }
        float[][] vectors = new float[texts.size()][];
        ActivationStream.of(model, List.of()).forEachBatch(encoded, new ActivationStream.Batching(batchSize, true),
                TokenBatch::ofTexts, ActivationStream.Progress.NONE, (items, pass) -> {
                    float[][] pooled = pool(pass);
                    for (int k = 0; k < items.length; k++) {
                        vectors[items[k]] = normalize ? l2Normalized(pooled[k]) : pooled[k];
                    }
                });
        return List.of(vectors);
    }

    /** Pooled final hidden states of one right-padded batch: [B][D]. */
    private float[][] pool(ActivationStream.Pass pass) {
        NDArray hidden = pass.output().hidden();                             // [B, L, D]
        NDArray pooled = pooling.pool(hidden, pass.tokens().realMask(pass.manager()));   // [B, D]
        float[] flat = pooled.toFloatArray();
        int b = pass.tokens().size();
        int d = (int) pooled.getShape().get(1);
        float[][] rows = new float[b][];
        for (int r = 0; r < b; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * d, (r + 1) * d);
        }
        return rows;
    }

    /** {@code v / |v|} in float arithmetic, summing squares in order, as LangChain4j normalizes. */
    static float[] l2Normalized(float[] v) {
        float sumSquares = 0;
        for (float x : v) {
            sumSquares += x * x;
        }
        float norm = (float) Math.sqrt(sumSquares);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
