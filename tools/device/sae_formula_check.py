# Device check: do SAELens (if installed) and a plain-PyTorch reading of the SAELens formulas reproduce what
# Scalpel's `sae encode` wrote for two SAEs Scalpel trained and saved in SAELens layout?
import json, os, sys, importlib.util
import torch
from safetensors.torch import load_file
out = {"sae_lens_installed": importlib.util.find_spec("sae_lens") is not None, "torch": torch.__version__}
x = load_file("x.safetensors")["x"].double()
for name in ["topk", "standard"]:
    cfg = json.load(open(f"{name}/cfg.json"))
    w = {k: v.double() for k, v in load_file(f"{name}/sae_weights.safetensors").items()}
    ours = load_file(f"ours-{name}.safetensors")
    xin = x - w["b_dec"] if cfg["apply_b_dec_to_input"] else x
    pre = xin @ w["W_enc"] + w["b_enc"]
    if cfg["architecture"] == "topk":
        vals, idx = torch.topk(pre, cfg["k"], dim=-1)
        f = torch.zeros_like(pre).scatter(-1, idx, torch.relu(vals))
    else:
        f = torch.relu(pre)
    xhat = f @ w["W_dec"] + w["b_dec"]
    r = {"max_abs_f": (f - ours["f"].double()).abs().max().item(),
         "max_abs_x_hat": (xhat - ours["x_hat"].double()).abs().max().item(),
         "f_scale": f.abs().max().item()}
    if out["sae_lens_installed"]:
        try:
            from sae_lens import SAE
            sae = SAE.load_from_disk(name, device="cpu")
            with torch.no_grad():
                fs = sae.encode(x.float()); xs = sae.decode(fs)
            r["sae_lens_max_abs_f"] = (fs.double() - ours["f"].double()).abs().max().item()
            r["sae_lens_max_abs_x_hat"] = (xs.double() - ours["x_hat"].double()).abs().max().item()
        except Exception as e:
            r["sae_lens_error"] = repr(e)
    out[name] = r
print(json.dumps(out, indent=1))
os.makedirs(os.environ.get("OUT", "."), exist_ok=True)
json.dump(out, open(os.path.join(os.environ.get("OUT", "."), "sae_check.json"), "w"), indent=1)
