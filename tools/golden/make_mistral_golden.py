"""Golden data for Scalpel's tests, made with Hugging Face transformers (run on a machine that has it).

Writes mistral-tiny (a random MistralForCausalLM whose sliding window is shorter than the test sequence) in the same
layout as the other fixtures, and batched left-padded greedy generations for gpt2-tiny and llama-tiny.
Usage: python3 make_mistral_golden.py FIXTURES_DIR OUT_DIR
"""
import json, os, shutil, sys
import torch
import transformers
from transformers import AutoModelForCausalLM, MistralConfig, MistralForCausalLM
from safetensors.torch import save_file

fixtures, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
dev = "cpu"

def golden_causal(model, folder, seq, prompt_len=5):
    g = {}
    torch.manual_seed(1)
    vocab = model.config.vocab_size
    ids = torch.randint(3, vocab, (2, seq))
    with torch.no_grad():
        o = model(ids, output_hidden_states=True)
    g["input_ids"] = ids
    g["logits"] = o.logits
    for i, h in enumerate(o.hidden_states):
        g[f"hidden_states.{i}"] = h
    mask = torch.ones_like(ids); mask[1, :4] = 0
    with torch.no_grad():
        g["padded.logits"] = model(ids, attention_mask=mask).logits
    g["padded.attention_mask"] = mask
    prompt = ids[:1, :prompt_len]
    gen = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=10, do_sample=False,
                         eos_token_id=None, pad_token_id=0)
    assert gen.shape[1] == prompt_len + 10, gen.shape
    g["generate.prompt"] = prompt
    g["generate.output"] = gen
    model.zero_grad()
    loss = model(ids, labels=ids).loss
    loss.backward()
    for n, p in model.named_parameters():
        if p.grad is not None and p.numel() <= 200000:
            g["grad." + n] = p.grad.detach().clone()
    re = getattr(model.model, "rotary_emb", None)
    if re is not None:
        g["rotary.inv_freq"] = re.inv_freq.detach().clone()
    save_file({k: v.contiguous().clone() for k, v in g.items()}, os.path.join(folder, "golden.safetensors"))
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump({"loss": loss.item(), "class": type(model).__name__, "transformers": transformers.__version__,
                   "notes": "made by tools/golden/make_mistral_golden.py; padded.* with positions 0..S-1 (forward default); "
                            "generate.*: greedy, 10 new tokens, EOS disabled"}, f, indent=1)

# 1. mistral-tiny
cfg = MistralConfig(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=2, head_dim=16, max_position_embeddings=256, sliding_window=4,
                    rms_norm_eps=1e-5, bos_token_id=0, eos_token_id=1, pad_token_id=None, tie_word_embeddings=False)
cfg._attn_implementation = "eager"
torch.manual_seed(0)
m = MistralForCausalLM(cfg).eval()
with torch.no_grad():
    for p in m.parameters():
        p.normal_(0, 0.2) if p.dim() > 1 else p.normal_(1.0, 0.1)
folder = os.path.join(out, "mistral-tiny")
m.save_pretrained(folder, safe_serialization=True)
# tokenizer files are copied from llama-tiny by hand (the device returns at most 8 files)
golden_causal(m, folder, seq=12)
print("mistral-tiny", json.load(open(os.path.join(folder, "config.json"))).get("sliding_window"))

# 2. batched, left-padded greedy generation on existing fixtures (learned positions make padding matter for gpt2)
batch = {}
for name in ["gpt2-tiny", "llama-tiny", "gemma2-tiny"]:
    mm = AutoModelForCausalLM.from_pretrained(os.path.join(fixtures, name), attn_implementation="eager").eval()
    torch.manual_seed(2)
    vocab = mm.config.vocab_size
    a = torch.randint(3, min(vocab, 500), (1, 3)); b = torch.randint(3, min(vocab, 500), (1, 6))
    pad = 0
    ids = torch.cat([torch.cat([torch.full((1, 3), pad), a], 1), b], 0)
    mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1] * 6])
    gen = mm.generate(ids, attention_mask=mask, max_new_tokens=8, do_sample=False, eos_token_id=None, pad_token_id=pad)
    batch[name + ".input_ids"] = ids
    batch[name + ".attention_mask"] = mask
    batch[name + ".output"] = gen
    print(name, gen.tolist())
save_file({k: v.contiguous().clone() for k, v in batch.items()}, os.path.join(out, "batched_generate.safetensors"))
print("done")
