package dev.scalpel.interpret.harvest;

import dev.scalpel.core.io.DType;
import java.util.Objects;

/**
 * What to harvest and how. A harvest folder remembers its configuration, so a resumed run must use the same one.
 *
 * @param hookName the TransformerLens hook point, e.g. {@code blocks.3.hook_resid_post}
 * @param contextSize the most tokens a text keeps (from its start, BOS included); 0 means the model's maximum
 * @param batchSize texts per forward pass. Texts are batched by index ({@code [j*B, (j+1)*B)}), so a resumed run
 *     computes every row in the same batch as the first run did and writes the same bytes
 * @param prependBos start each text with the model's BOS token when its tokenizer does not add one (TransformerLens's
 *     default, which SAELens's GPT-2 SAEs were trained with); no effect when the model has no BOS id
 * @param excludeBos leave out BOS positions (the tokenizer's BOS/CLS id wherever it occurs): their huge norms would
 *     dominate an SAE's loss. Padding positions are always left out
 * @param mode a row per token, or one pooled row per text
 * @param shardRows rows per shard file (the last shard may hold fewer); the one shard buffer in memory holds this many
 * @param dtype how rows are stored: F32 (exact), F16 or BF16
 */
public record HarvestConfig(String hookName, int contextSize, int batchSize, boolean prependBos, boolean excludeBos,
                            HarvestMode mode, int shardRows, DType dtype) {

    /** Rows per shard unless set: 64k rows of a 4096-wide model are 1 GiB in float32. */
    public static final int DEFAULT_SHARD_ROWS = 65_536;

    public HarvestConfig {
        Objects.requireNonNull(hookName, "hookName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dtype, "dtype");
        if (hookName.isBlank()) {
            throw new IllegalArgumentException("the hook name is empty; name a hook point such as blocks.0.hook_resid_post");
        }
        if (contextSize < 0) {
            throw new IllegalArgumentException("context size must be 0 (the model's maximum) or positive: " + contextSize);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
        }
        if (shardRows < 1) {
            throw new IllegalArgumentException("shard size must be at least 1 row: " + shardRows);
        }
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("activations are stored as F32, F16 or BF16, not " + dtype);
        }
    }

    /** Token rows at {@code hookName}: the model's context, 8 texts a batch, BOS prepended and excluded, float32. */
    public static HarvestConfig tokens(String hookName) {
        return new HarvestConfig(hookName, 0, 8, true, true, HarvestMode.TOKENS, DEFAULT_SHARD_ROWS, DType.F32);
    }

    public HarvestConfig withContextSize(int tokens) {
        return new HarvestConfig(hookName, tokens, batchSize, prependBos, excludeBos, mode, shardRows, dtype);
    }

    public HarvestConfig withBatchSize(int texts) {
        return new HarvestConfig(hookName, contextSize, texts, prependBos, excludeBos, mode, shardRows, dtype);
    }

    public HarvestConfig withBos(boolean prepend, boolean exclude) {
        return new HarvestConfig(hookName, contextSize, batchSize, prepend, exclude, mode, shardRows, dtype);
    }

    public HarvestConfig withMode(HarvestMode m) {
        return new HarvestConfig(hookName, contextSize, batchSize, prependBos, excludeBos, m, shardRows, dtype);
    }

    public HarvestConfig withShardRows(int rows) {
        return new HarvestConfig(hookName, contextSize, batchSize, prependBos, excludeBos, mode, rows, dtype);
    }

    public HarvestConfig withDtype(DType type) {
        return new HarvestConfig(hookName, contextSize, batchSize, prependBos, excludeBos, mode, shardRows, type);
    }
}
