package dev.scalpel.core.activations;

import dev.scalpel.core.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The one definition of how a text's per-token vectors {@code [T, d]} become one vector {@code [d]}, for sentence
 * embeddings, feature probes and MOSAIC alike. Two backends compute it:
 *
 * <ul>
 *   <li>{@link #pool(NDArray, NDArray)} on the device, batched: {@code x [B, T, d]} with {@code mask [B, T]} (1 for a
 *       token that counts, 0 for padding or a dropped special token), so that only the pooled {@code [B, d]} rows,
 *       not {@code B * T * d} activations, come back to the JVM (embeddings, probes, SAE splicing);</li>
 *   <li>{@link TokenRowPooler} on the CPU, for token rows that arrive one at a time and in any order (harvest shards):
 *       every pooling of a text accumulated in one pass (MOSAIC's grid).</li>
 * </ul>
 *
 * <p>The kinds: {@link Sum} (with binarization, MOSAIC's best setting), {@link Mean} (sentence-transformers' default),
 * {@link Max}, {@link Last} (the last counted token; the natural summary of a causal model), {@link Cls} (the first
 * position, BERT's [CLS]) and {@link TopNCount} (per latent, the number of tokens where it is among that token's n
 * largest activations).
 */
public sealed interface TokenPooling permits TokenPooling.Sum, TokenPooling.Mean, TokenPooling.Max, TokenPooling.Last,
        TokenPooling.Cls, TokenPooling.TopNCount {
    Sum SUM = new Sum();
    Mean MEAN = new Mean();
    Max MAX = new Max();
    Last LAST = new Last();
    Cls CLS = new Cls();

    /** The option spelling: {@code sum}, {@code mean}, {@code max}, {@code last}, {@code cls} or {@code topn:N}. */
    String name();

    /** Pools {@code x [B, T, d]} over the tokens {@code mask [B, T]} marks; every row must mark at least one. */
    NDArray pool(NDArray x, NDArray mask);

    /** Pools one text's {@code x [T, d]}, every token counted: {@code [d]}. */
    default NDArray pool(NDArray x) {
        checkRank(x, 2, "x [T, d]");
        NDArray batch = x.expandDims(0);
        return pool(batch, x.getManager().ones(new Shape(1, x.getShape().get(0)))).squeeze(0);
    }

    static TopNCount topNCount(int n) {
        return new TopNCount(n);
    }

    /** Parses the option spelling of {@link #name()}. */
    static TokenPooling parse(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("topn:")) {
            try {
                return new TopNCount(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pooling '" + s + "': topn:N needs a whole number N, e.g. topn:20");
            }
        }
        return switch (t) {
            case "sum" -> SUM;
            case "mean" -> MEAN;
            case "max" -> MAX;
            case "last" -> LAST;
            case "cls" -> CLS;
            default -> throw new IllegalArgumentException("unknown pooling '" + s + "'; use sum, mean, max, last, cls or "
                    + "topn:N");
        };
    }

    /** Sum of the counted tokens' vectors. */
    record Sum() implements TokenPooling {
        @Override
        public String name() {
            return "sum";
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            return masked(x, mask).sum(new int[] {1});
        }
    }

    /** Mean of the counted tokens' vectors. */
    record Mean() implements TokenPooling {
        @Override
        public String name() {
            return "mean";
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            NDArray m = checked(x, mask);
            return x.mul(m.expandDims(2)).sum(new int[] {1}).div(m.sum(new int[] {1}).expandDims(1));
        }
    }

    /** Per dimension, the largest value over the counted tokens. */
    record Max() implements TokenPooling {
        @Override
        public String name() {
            return "max";
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            NDArray m = checked(x, mask);
            // Adding 0 leaves a counted token's value exact; excluded tokens drop far below any activation.
            NDArray offset = Scalars.mul(m.sub(1f), 3e38f).expandDims(2);
            return x.add(offset).max(new int[] {1});
        }
    }

    /** The vector of the last counted token (the mask's counted tokens must be contiguous, as padding leaves them). */
    record Last() implements TokenPooling {
        @Override
        public String name() {
            return "last";
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            NDArray m = checked(x, mask);
            long b = m.getShape().get(0);
            // 1 where a counted token is followed by an uncounted one (or the end): the last counted token.
            NDArray next = m.get(":, 1:").concat(m.getManager().zeros(new Shape(b, 1), DataType.FLOAT32), 1);
            NDArray last = Scalars.maximum(m.sub(next), 0f);
            return x.mul(last.expandDims(2)).sum(new int[] {1});
        }
    }

    /**
     * The vector at position 0 ([CLS] for BERT), whatever the mask says: the batch must be right-padded, and the first
     * token counts even where a mask leaves special tokens out.
     */
    record Cls() implements TokenPooling {
        @Override
        public String name() {
            return "cls";
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            checkRank(x, 3, "x [B, T, d]");
            return x.get(":, 0, :");
        }
    }

    /**
     * Per latent, how many counted tokens have it among their {@code n} largest activations (ties with the n-th
     * largest count too, and an activation must be positive: a latent that is off is in no token's top n).
     */
    record TopNCount(int n) implements TokenPooling {
        public TopNCount {
            if (n < 1) {
                throw new IllegalArgumentException("topn:N needs N >= 1, got " + n);
            }
        }

        @Override
        public String name() {
            return "topn:" + n;
        }

        @Override
        public NDArray pool(NDArray x, NDArray mask) {
            NDArray m = checked(x, mask);
            int k = (int) Math.min(n, x.getShape().get(2));
            NDArray kth = x.topK(k, -1, true, true).get(0).get(":, :, -1:");              // [B, T, 1]
            NDArray inTop = x.gte(kth).logicalAnd(x.gt(0f)).toType(DataType.FLOAT32, false);
            return inTop.mul(m.expandDims(2)).sum(new int[] {1});
        }

        /**
         * Per row of {@code rows [R, width]}, its n-th largest value ({@code [R]}): a value counts when it is at least
         * this and above zero, as {@link #pool} counts them. What {@link TokenRowPooler} is given for each token.
         */
        public NDArray nthLargest(NDArray rows) {
            checkRank(rows, 2, "rows [R, width]");
            int k = (int) Math.min(n, rows.getShape().get(1));
            return rows.topK(k, -1, true, true).get(0).get(":, -1");
        }
    }

    private static NDArray masked(NDArray x, NDArray mask) {
        return x.mul(checked(x, mask).expandDims(2));
    }

    /** The mask as float32, after checking shapes and that every row counts a token. */
    private static NDArray checked(NDArray x, NDArray mask) {
        checkRank(x, 3, "x [B, T, d]");
        checkRank(mask, 2, "mask [B, T]");
        if (x.getShape().get(0) != mask.getShape().get(0) || x.getShape().get(1) != mask.getShape().get(1)) {
            throw new IllegalArgumentException("x " + x.getShape() + " and mask " + mask.getShape() + " disagree on [B, T]");
        }
        NDArray m = mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
        if (m.sum(new int[] {1}).min().getFloat() <= 0f) {
            throw new IllegalArgumentException("a row of the mask counts no token; there is nothing to pool");
        }
        return m;
    }

    private static void checkRank(NDArray a, int rank, String what) {
        if (a.getShape().dimension() != rank) {
            throw new IllegalArgumentException("expected " + what + ", got shape " + a.getShape());
        }
    }
}
