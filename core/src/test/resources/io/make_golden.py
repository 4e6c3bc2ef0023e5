"""Regenerates golden.safetensors without the safetensors library, mirroring what Hugging Face's
serializer emits: tensors sorted by descending dtype alignment then name, compact JSON header with
__metadata__ first and keys dtype/shape/data_offsets, padded with spaces to a multiple of 8, then the
little-endian data section, contiguous. Run: python3 make_golden.py (from this folder)."""
import json
import struct

# (name, dtype, shape, struct format char, values), already in the serializer's order:
# I64 > F64 > F32 > I32 > BF16 > F16 > I16 > I8 > U8 > BOOL, then by name.
TENSORS = [
    ("position_ids", "I64", [1, 3], "q", [-1, 0, 9007199254740993]),
    ("scale", "F64", [2], "d", [1.5, -2.25]),
    ("embed.weight", "F32", [2, 2], "f", [0.5, -1.0, 3.25, 0.001]),
    ("empty", "F32", [0, 4], "f", []),
    ("scalar", "F32", [], "f", [42.0]),
    ("ids32", "I32", [2], "i", [-7, 2147483647]),
    ("norm.bf16", "BF16", [3], "H", [0x3F80, 0xC000, 0x3E20]),   # 1.0, -2.0, 0.15625
    ("half", "F16", [3], "e", [1.0, -0.5, 65504.0]),
    ("shorts", "I16", [2], "h", [-300, 32767]),
    ("bytes", "I8", [2], "b", [-128, 127]),
    ("ubytes", "U8", [2], "B", [0, 255]),
    ("mask", "BOOL", [3], "B", [1, 0, 1]),
]

header = {"__metadata__": {"format": "pt"}}
data = b""
for name, dtype, shape, fmt, values in TENSORS:
    raw = struct.pack("<%d%s" % (len(values), fmt), *values)
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw

text = json.dumps(header, separators=(",", ":")).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
with open("golden.safetensors", "wb") as out:
    out.write(struct.pack("<Q", len(text)) + text + data)
