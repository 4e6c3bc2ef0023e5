package dev.scalpel.interpret.sae.train;

import dev.scalpel.core.activations.TokenBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.activations.TokenPooling;
import dev.scalpel.core.hooks.HookFunction;
import dev.scalpel.core.hooks.Hooks;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.ForwardResult;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.interpret.harvest.HarvestConfig;
import dev.scalpel.interpret.harvest.TokenSource;
import dev.scalpel.interpret.sae.SparseAutoencoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a model three times over the same texts: as it is, with an SAE's reconstruction replacing the activation at
 * the SAE's hook (through a replacing hook function), and with zeros there. A causal LM is measured by its mean
 * next-token loss, an encoder by the cosine between its mean-pooled sentence embeddings with and without the
 * replacement. Texts are tokenized as the harvest did ({@link HarvestConfig}, {@link TokenSource}); positions the
 * harvest left out (BOS, when excluded) keep their activation, since the SAE never saw them.
 */
public final class SpliceEvaluation {
    private final TransformerModel model;
    private final TokenSource tokens;
    private final HarvestConfig config;
    private final TokenPooling pooling;

    public SpliceEvaluation(TransformerModel model, TokenSource tokens, HarvestConfig config) {
        this(model, tokens, config, TokenPooling.MEAN);
    }

    /** @param pooling how an encoder's final hidden states become the sentence embedding (ignored for causal LMs) */
    public SpliceEvaluation(TransformerModel model, TokenSource tokens, HarvestConfig config, TokenPooling pooling) {
        this.model = model;
        this.tokens = tokens;
        this.config = config;
        this.pooling = pooling;
    }

    public SpliceResult run(SparseAutoencoder sae, List<String> texts) {
        boolean causal = model.config().causal();
        int maxTokens = config.contextSize() == 0 ? model.config().maxPositions() : config.contextSize();
        double clean = 0;
        double spliced = 0;
        double zero = 0;
        long count = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int first = 0; first < texts.size(); first += config.batchSize()) {
                List<TokenSource.Tokens> batchTokens = new ArrayList<>();
                for (String text : texts.subList(first, Math.min(texts.size(), first + config.batchSize()))) {
                    TokenSource.Tokens t = tokens.tokenize(text, maxTokens);
                    if (t.length() >= (causal ? 2 : 1)) {
                        batchTokens.add(t);
                    }
                }
                if (batchTokens.isEmpty()) {
                    continue;
                }
                try (NDManager m = manager.newSubManager()) {
                    TokenBatch batch = TokenBatch.right(batchTokens.stream().map(TokenSource.Tokens::ids).toList(), 0)
                            .maskedOnlyWhenPadded();
                    ForwardRequest request = batch.request(m);
                    NDArray replace = replaceMask(batch, batchTokens, m);
                    NDArray real = batch.realMask(m);
                    try (ForwardResult a = model.forward(request, m);
                         ForwardResult b = model.forward(request, hooks(sae, replace, false, m), m);
                         ForwardResult c = model.forward(request, hooks(sae, replace, true, m), m)) {
                        if (causal) {
                            double[] la = lossSum(a.logits(), request.inputIds(), real);
                            clean += la[0];
                            spliced += lossSum(b.logits(), request.inputIds(), real)[0];
                            zero += lossSum(c.logits(), request.inputIds(), real)[0];
                            count += (long) la[1];
                        } else {
                            NDArray base = pooling.pool(a.hidden(), real);
                            clean += batch.size();
                            spliced += cosine(base, pooling.pool(b.hidden(), real));
                            zero += cosine(base, pooling.pool(c.hidden(), real));
                            count += batch.size();
                        }
                    }
                }
            }
        }
        if (count == 0) {
            throw new ScalpelException("nothing to evaluate: every text was empty"
                    + (causal ? " or a single token" : ""));
        }
        return new SpliceResult(causal ? SpliceResult.Measure.NEXT_TOKEN_LOSS : SpliceResult.Measure.EMBEDDING_COSINE,
                clean / count, spliced / count, zero / count, count);
    }

    /** 1 where the activation is replaced: real positions the harvest kept. [B, L] */
    private NDArray replaceMask(TokenBatch batch, List<TokenSource.Tokens> batchTokens, NDManager m) {
        List<boolean[]> kept = new ArrayList<>();
        for (TokenSource.Tokens t : batchTokens) {
            boolean[] keep = new boolean[t.length()];
            for (int p = 0; p < keep.length; p++) {
                keep[p] = !(config.excludeBos() && t.bos()[p]);
            }
            kept.add(keep);
        }
        return m.create(batch.countedMask(kept), batch.shape());
    }

    private Hooks hooks(SparseAutoencoder sae, NDArray replace, boolean zeros, NDManager m) {
        HookFunction fn = (activation, name) -> {
            Shape s = activation.getShape();
            long rows = s.get(0) * s.get(1);
            long d = s.size() / rows;
            if (d != sae.dIn()) {
                throw new ScalpelException(name + " is " + d + " wide but the SAE takes " + sae.dIn());
            }
            NDArray flat = activation.reshape(rows, d);
            NDArray reconstruction = zeros ? flat.zerosLike() : sae.decode(sae.encode(flat));
            return flat.add(reconstruction.sub(flat).mul(replace.reshape(rows, 1))).reshape(s);
        };
        return Hooks.builder(m).add(config.hookName(), fn).build();
    }

    /** {sum of next-token cross-entropies over real targets, their count}. */
    private static double[] lossSum(NDArray logits, NDArray ids, NDArray real) {
        long seq = logits.getShape().get(1);
        NDArray logProbs = logits.get(":, :{}, :", seq - 1).logSoftmax(-1);
        NDArray targets = ids.get(":, 1:").toType(DataType.INT64, false).expandDims(-1);
        NDArray picked = logProbs.gather(targets, -1).squeeze(-1);
        NDArray weights = real.get(":, 1:");
        return new double[] {-picked.mul(weights).sum().getFloat(), weights.sum().getFloat()};
    }

    /** Sum over rows of cos(a_i, b_i). */
    private static double cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {1});
        NDArray norms = a.norm(new int[] {1}).mul(b.norm(new int[] {1}));
        return dot.div(norms).sum().getFloat();
    }
}
