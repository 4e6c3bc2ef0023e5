package dev.scalpel.core.model;

/**
 * The names of the hook points, declared once: the models pass activations through these names, the families list
 * them, and every caller (editing, probes, harvests) builds its names from them. They are TransformerLens's names
 * wherever TransformerLens has the point; the few it lacks are marked.
 */
public final class HookNames {
    /** Token embeddings of the decoders ([B, Q, D]; Gemma 2's after the sqrt(d) scaling). */
    public static final String EMBED = "hook_embed";
    /** GPT-2's learned position embeddings. */
    public static final String POS_EMBED = "hook_pos_embed";
    /** The decoders' final norm: the hidden state the LM head reads. */
    public static final String FINAL_NORM = "ln_final.hook_normalized";

    /** BERT's word, token-type and position embeddings, and their sum after the embedding LayerNorm. */
    public static final String BERT_WORD_EMBED = "embed.hook_embed";
    public static final String BERT_TOKEN_TYPE_EMBED = "embed.hook_token_type_embed";
    public static final String BERT_POS_EMBED = "embed.hook_pos_embed";
    public static final String BERT_EMBED_NORM = "embed.ln.hook_normalized";

    // Points inside block L, named blocks.L.<point> (see block).
    public static final String RESID_PRE = "hook_resid_pre";
    public static final String LN1 = "ln1.hook_normalized";
    /** Queries, keys and values per head, [B, Q, H, Dh], before rotary positions. */
    /** A fused q/k/v projection's raw output [B, Q, 3 x H x Dh], before it is split (GPT-NeoX interleaves it per head). */
    public static final String QKV = "attn.hook_qkv";
    public static final String Q = "attn.hook_q";
    public static final String K = "attn.hook_k";
    public static final String V = "attn.hook_v";
    /** Queries and keys after the rotary positions (rotary families only). */
    public static final String ROT_Q = "attn.hook_rot_q";
    public static final String ROT_K = "attn.hook_rot_k";
    /** Attention scores after scaling, soft-capping and masking; then their softmax. */
    public static final String ATTN_SCORES = "attn.hook_attn_scores";
    public static final String PATTERN = "attn.hook_pattern";
    /** The heads' mixed values, [B, Q, H, Dh], the output projection's input. */
    public static final String Z = "attn.hook_z";
    /** Gemma 2 only, not in TransformerLens: the attention's output projection before the post-attention norm. */
    public static final String ATTN_PROJECTION = "attn.hook_out";
    /** Gemma 2's post-attention norm. */
    public static final String LN1_POST = "ln1_post.hook_normalized";
    /** What the attention adds to the residual stream. */
    public static final String ATTN_OUT = "hook_attn_out";
    public static final String RESID_MID = "hook_resid_mid";
    public static final String LN2 = "ln2.hook_normalized";
    /** The MLP's first projection (the gate, in gated MLPs), before the activation. */
    public static final String MLP_PRE = "mlp.hook_pre";
    /** Gated MLPs' up projection. */
    public static final String MLP_PRE_LINEAR = "mlp.hook_pre_linear";
    /** The MLP's hidden activation, [B, Q, d_ff]: the down projection's input (the key of knowledge editing). */
    public static final String MLP_POST = "mlp.hook_post";
    /** Gemma 2 only, not in TransformerLens: the MLP's down projection before the post-feed-forward norm. */
    public static final String MLP_PROJECTION = "mlp.hook_out";
    /** Gemma 2's post-feed-forward norm. */
    public static final String LN2_POST = "ln2_post.hook_normalized";
    /** What the MLP adds to the residual stream. */
    public static final String MLP_OUT = "hook_mlp_out";
    /** The residual stream after the block (BERT: before the block's closing LayerNorm). */
    public static final String RESID_POST = "hook_resid_post";
    /** BERT: the block's output, after its closing LayerNorm. */
    public static final String NORMALIZED_RESID_POST = "hook_normalized_resid_post";

    private HookNames() {
    }

    /** A pattern with {@code %d} for the layer, as configurations that name one point in several blocks hold it. */
    public static String blockPattern(String point) {
        return "blocks.%d." + point;
    }

    /** A model's hook points in forward order: {@code before}, then {@code perBlock} in each block, then {@code after}. */
    static java.util.List<String> inForwardOrder(java.util.List<String> before, java.util.List<String> perBlock, int layers,
                                                 java.util.List<String> after) {
        java.util.List<String> names = new java.util.ArrayList<>(before);
        for (int i = 0; i < layers; i++) {
            for (String point : perBlock) {
                names.add(block(i, point));
            }
        }
        names.addAll(after);
        return names;
    }

    /** The full name of {@code point} in block {@code layer}: {@code blocks.3.hook_resid_post}. */
    public static String block(int layer, String point) {
        return "blocks." + layer + "." + point;
    }
}
