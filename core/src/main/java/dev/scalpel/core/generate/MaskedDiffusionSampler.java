package dev.scalpel.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scalpel.core.ScalpelException;
import dev.scalpel.core.model.ForwardRequest;
import dev.scalpel.core.model.TransformerModel;
import dev.scalpel.core.model.Scalars;
import dev.scalpel.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MDLM's ancestral sampler (Sahoo et al. 2024) with the log-linear schedule and the SUBS parameterization: every
 * position after the prompt starts as [MASK]; time steps from 1 down to 0 in T steps; at the step from t to s a masked
 * position is unmasked with probability (t - s) / t and then takes a token drawn from p(x0 | xt), with the mask token's
 * probability set to zero; unmasked positions and the prompt are never changed; the last step fills what is left with
 * the most probable token. The network is not time-conditioned, so a step in which nothing changed reuses the last
 * prediction instead of running the model again.
 *
 * <p>One random stream serves the whole batch, row after row, so a batch's samples depend on its seed and size (as the
 * lab's recorded samples do). All prompts must have the same length: the sampler fills a fixed window and does not pad.
 */
public final class MaskedDiffusionSampler implements SequenceSampler {
    private final TransformerModel model;
    private final Tokenizer tokenizer;
    private final long maskId;
    private final int steps;
    private final ReverseStepProjection projection;

    /**
     * @param tokenizer decodes the new tokens into {@link Generation#texts()}; may be null
     * @param steps the number of reverse steps T (at least 1)
     */
    public MaskedDiffusionSampler(TransformerModel model, Tokenizer tokenizer, long maskId, int steps) {
        this(model, tokenizer, maskId, steps, ReverseStepProjection.NONE);
    }

    private MaskedDiffusionSampler(TransformerModel model, Tokenizer tokenizer, long maskId, int steps,
                                   ReverseStepProjection projection) {
        if (model.config().causal()) {
            throw new ScalpelException(model.architecture().modelType()
                    + " is a causal language model; masked diffusion needs a bidirectional (masked) one");
        }
        if (maskId < 0 || maskId >= model.config().vocabSize()) {
            throw new ScalpelException("mask token id " + maskId + " is outside the vocabulary (0.."
                    + (model.config().vocabSize() - 1) + ")");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("a masked diffusion sampler needs at least one reverse step, got " + steps);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.maskId = maskId;
        this.steps = steps;
        this.projection = projection;
    }

    /** The same sampler with {@code p} applied to every reverse step's prediction. */
    public MaskedDiffusionSampler withProjection(ReverseStepProjection p) {
        return new MaskedDiffusionSampler(model, tokenizer, maskId, steps, p);
    }

    /**
     * Fills {@code maxNewTokens} positions after each prompt. Sampling is greedy (the most probable token once a
     * position unmasks; which positions unmask is still drawn from the seed) or at a temperature; top-k, top-p, stop
     * tokens and stop strings do not apply to a fixed-length sampler and are refused.
     */
    @Override
    public Generation generate(GenerationRequest request) {
        Sampling sampling = request.sampling();
        if (!sampling.greedy() && (sampling.topK() != 0 || sampling.topP() < 1)) {
            throw new ScalpelException("the masked diffusion sampler draws from the full distribution: top-k and top-p"
                    + " are not supported (got top-k " + sampling.topK() + ", top-p " + sampling.topP() + ")");
        }
        if (!request.stopTokenIds().isEmpty() || !request.stopStrings().isEmpty()) {
            throw new ScalpelException("the masked diffusion sampler fills a fixed length; stop tokens and stop strings"
                    + " do not apply");
        }
        int prefix = request.prompts().getFirst().length;
        for (int b = 0; b < request.prompts().size(); b++) {
            if (request.prompts().get(b).length != prefix) {
                throw new ScalpelException("the masked diffusion sampler needs prompts of one length: prompt 0 has "
                        + prefix + " tokens, prompt " + b + " has " + request.prompts().get(b).length + " tokens");
            }
        }
        int length = prefix + request.maxNewTokens();
        if (length > model.config().maxPositions()) {
            throw new ScalpelException("prompt plus new tokens (" + length + ") exceed the " + model.config().maxPositions()
                    + " positions this model has learned");
        }
        long[][] x = denoise(request.prompts(), length, sampling);
        List<long[]> news = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (long[] row : x) {
            long[] n = Arrays.copyOfRange(row, prefix, length);
            news.add(n);
            texts.add(tokenizer == null ? null : tokenizer.decode(n));
        }
        return new Generation(List.of(x), news, tokenizer == null ? null : texts,
                java.util.Collections.nCopies(x.length, Generation.StopReason.LENGTH));
    }

    private long[][] denoise(List<long[]> prompts, int length, Sampling sampling) {
        int prefix = prompts.getFirst().length;
        int count = prompts.size();
        SplittableRandom random = new SplittableRandom(sampling.seed());
        long[][] x = new long[count][length];
        for (int b = 0; b < count; b++) {
            Arrays.fill(x[b], maskId);
            System.arraycopy(prompts.get(b), 0, x[b], 0, prefix);
        }
        double temperature = sampling.greedy() ? 1 : sampling.temperature();
        float[][][] probs = null;
        boolean changed = true;
        for (int i = steps; i >= 1; i--) {
            double t = (double) i / steps;
            double s = (double) (i - 1) / steps;
            if (changed || probs == null) {
                probs = predict(x, temperature);
                projection.project(i, x, probs);
            }
            changed = false;
            for (int b = 0; b < count; b++) {
                for (int p = prefix; p < length; p++) {
                    if (x[b][p] != maskId) {
                        continue;
                    }
                    float[] px0 = probs[b][p];
                    if (i == 1) {
                        x[b][p] = argmax(px0);
                        changed = true;
                        continue;
                    }
                    if (random.nextDouble() < (t - s) / t) {
                        x[b][p] = sampling.greedy() ? argmax(px0) : draw(px0, random);
                        changed = true;
                    }
                }
            }
        }
        return x;
    }

    /** p(x0 | xt) for every position: softmax of the logits (at the temperature) with [MASK] excluded. */
    private float[][][] predict(long[][] x, double temperature) {
        int count = x.length;
        int length = x[0].length;
        try (NDManager m = model.newManager()) {
            long[] flat = new long[count * length];
            for (int b = 0; b < count; b++) {
                System.arraycopy(x[b], 0, flat, b * length, length);
            }
            NDArray logits = model.forward(ForwardRequest.of(m.create(flat).reshape(count, length)), m).logits();
            if (temperature != 1) {
                logits = Scalars.div(logits, temperature);
            }
            int vocab = (int) logits.getShape().get(2);
            float[] maskRow = new float[vocab];
            maskRow[(int) maskId] = Float.NEGATIVE_INFINITY;
            float[] all = logits.add(m.create(maskRow)).softmax(-1).toFloatArray();
            float[][][] out = new float[count][length][];
            for (int b = 0; b < count; b++) {
                for (int p = 0; p < length; p++) {
                    int from = (b * length + p) * vocab;
                    out[b][p] = Arrays.copyOfRange(all, from, from + vocab);
                }
            }
            return out;
        }
    }

    /** Inverse-CDF draw; zero-probability tokens (the mask, or ones a projection removed) are never chosen. */
    private static long draw(float[] p, SplittableRandom random) {
        double u = random.nextDouble();
        double acc = 0;
        int last = 0;
        for (int v = 0; v < p.length; v++) {
            if (p[v] > 0) {
                acc += p[v];
                last = v;
                if (u < acc) {
                    return v;
                }
            }
        }
        return last;
    }

    private static long argmax(float[] p) {
        int best = 0;
        for (int v = 1; v < p.length; v++) {
            if (p[v] > p[best]) {
                best = v;
            }
        }
        return best;
    }
}
