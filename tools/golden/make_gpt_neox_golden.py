"""Golden data for Scalpel's GPT-NeoX (Pythia) support, from a plain PyTorch forward pass written from transformers'
modeling_gpt_neox.py (GPTNeoXAttention, GPTNeoXLayer, GPTNeoXModel): no transformers needed, Debian's python3-torch
is enough. A machine with transformers can check this script's outputs against GPTNeoXForCausalLM on the same folder.

Writes gpt-neox-tiny (parallel residual, rotary on a quarter of each head: Pythia's settings) and
gpt-neox-tiny-sequential (use_parallel_residual false, rotary on half), each a Hugging Face folder (config.json,
model.safetensors) with golden.safetensors: input_ids, logits, hidden_states.{i} (as transformers returns them),
padded.attention_mask / padded.logits (row 1 left-padded; positions 0..S-1, as a forward pass without position ids
numbers them), generate.prompt / generate.output (greedy, 10 new tokens).
Usage: /usr/bin/python3 make_gpt_neox_golden.py OUT_DIR
"""
import json, math, os, struct, sys
import torch

out_dir = sys.argv[1]


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class NeoX:
    def __init__(self, cfg, seed):
        g = torch.Generator().manual_seed(seed)
        d, v, inner = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
        std = cfg["initializer_range"]
        self.cfg = cfg
        self.w = {}

        def normal(name, *shape):
            self.w[name] = torch.randn(*shape, generator=g) * std

        def small(name, *shape):   # biases and norms away from their initial values, so that they are tested
            self.w[name] = torch.randn(*shape, generator=g) * 0.1

        normal("gpt_neox.embed_in.weight", v, d)
        for i in range(cfg["num_hidden_layers"]):
            p = f"gpt_neox.layers.{i}."
            for norm in ("input_layernorm", "post_attention_layernorm"):
                self.w[p + norm + ".weight"] = 1 + torch.randn(d, generator=g) * 0.1
                small(p + norm + ".bias", d)
            normal(p + "attention.query_key_value.weight", 3 * d, d)
            small(p + "attention.query_key_value.bias", 3 * d)
            normal(p + "attention.dense.weight", d, d)
            small(p + "attention.dense.bias", d)
            normal(p + "mlp.dense_h_to_4h.weight", inner, d)
            small(p + "mlp.dense_h_to_4h.bias", inner)
            normal(p + "mlp.dense_4h_to_h.weight", d, inner)
            small(p + "mlp.dense_4h_to_h.bias", d)
        self.w["gpt_neox.final_layer_norm.weight"] = 1 + torch.randn(d, generator=g) * 0.1
        small("gpt_neox.final_layer_norm.bias", d)
        normal("embed_out.weight", v, d)

    def forward(self, ids, attention_mask=None):
        cfg, w = self.cfg, self.w
        b, s = ids.shape
        d, heads = cfg["hidden_size"], cfg["num_attention_heads"]
        dh = d // heads
        rot = int(dh * cfg["rotary_pct"])
        eps = cfg["layer_norm_eps"]
        inv_freq = 1.0 / (cfg["rotary_emb_base"] ** (torch.arange(0, rot, 2).float() / rot))
        pos = torch.arange(s).float()
        freqs = torch.outer(pos, inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        causal = torch.tril(torch.ones(s, s, dtype=torch.bool))
        additive = torch.zeros(b, 1, s, s)
        if attention_mask is not None:
            additive = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        ln = torch.nn.functional.layer_norm
        x = w["gpt_neox.embed_in.weight"][ids]
        hidden = []
        for i in range(cfg["num_hidden_layers"]):
            p = f"gpt_neox.layers.{i}."
            hidden.append(x)
            h = ln(x, (d,), w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], eps)
            qkv = h @ w[p + "attention.query_key_value.weight"].T + w[p + "attention.query_key_value.bias"]
            qkv = qkv.view(b, s, heads, 3 * dh)
            q = qkv[..., :dh].permute(0, 2, 1, 3)
            k = qkv[..., dh:2 * dh].permute(0, 2, 1, 3)
            v = qkv[..., 2 * dh:].permute(0, 2, 1, 3)
            qr, qp = q[..., :rot], q[..., rot:]
            kr, kp = k[..., :rot], k[..., rot:]
            q = torch.cat((qr * cos + rotate_half(qr) * sin, qp), dim=-1)
            k = torch.cat((kr * cos + rotate_half(kr) * sin, kp), dim=-1)
            scores = (q @ k.transpose(-1, -2)) * dh ** -0.5
            scores = torch.where(causal, scores, torch.tensor(torch.finfo(torch.float32).min)) + additive
            z = torch.softmax(scores, dim=-1) @ v
            z = z.permute(0, 2, 1, 3).reshape(b, s, d)
            attn = z @ w[p + "attention.dense.weight"].T + w[p + "attention.dense.bias"]

            def mlp(inp):
                hn = ln(inp, (d,), w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], eps)
                pre = hn @ w[p + "mlp.dense_h_to_4h.weight"].T + w[p + "mlp.dense_h_to_4h.bias"]
                return torch.nn.functional.gelu(pre) @ w[p + "mlp.dense_4h_to_h.weight"].T + w[p + "mlp.dense_4h_to_h.bias"]

            if cfg["use_parallel_residual"]:
                x = mlp(x) + attn + x
            else:
                attn = attn + x
                x = mlp(attn) + attn
        x = ln(x, (d,), w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], eps)
        hidden.append(x)
        return x @ w["embed_out.weight"].T, hidden


def make(name, parallel, rotary_pct, seed):
    cfg = {"architectures": ["GPTNeoXForCausalLM"], "model_type": "gpt_neox", "vocab_size": 512, "hidden_size": 64,
           "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 256, "hidden_act": "gelu",
           "rotary_pct": rotary_pct, "rotary_emb_base": 10000, "max_position_embeddings": 64,
           "initializer_range": 0.02, "layer_norm_eps": 1e-5, "use_parallel_residual": parallel,
           "tie_word_embeddings": False, "attention_bias": True, "bos_token_id": 0, "eos_token_id": 1,
           "torch_dtype": "float32"}
    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(seed)
    model = NeoX(cfg, seed)
    write_safetensors(os.path.join(folder, "model.safetensors"), model.w)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    g = {}
    ids = torch.randint(3, cfg["vocab_size"], (2, 12), generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        logits, hidden = model.forward(ids)
        g["input_ids"] = ids
        g["logits"] = logits
        for i, h in enumerate(hidden):
            g[f"hidden_states.{i}"] = h
        mask = torch.ones_like(ids)
        mask[1, :4] = 0
        g["padded.attention_mask"] = mask
        g["padded.logits"] = model.forward(ids, mask)[0]
        seq = ids[:1, :5]
        for _ in range(10):
            nxt = model.forward(seq)[0][:, -1].argmax(-1, keepdim=True)
            seq = torch.cat((seq, nxt), dim=1)
        g["generate.prompt"] = ids[:1, :5]
        g["generate.output"] = seq
    write_safetensors(os.path.join(folder, "golden.safetensors"), g)
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump({"notes": "plain PyTorch " + torch.__version__ + " reference (tools/golden/make_gpt_neox_golden.py),"
                   " float32, CPU", "config": cfg}, f, indent=2)


make("gpt-neox-tiny", True, 0.25, 7)
make("gpt-neox-tiny-sequential", False, 0.5, 8)
