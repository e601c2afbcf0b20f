"""Reading and writing ``.safetensors`` weight files, in plain Python: no pickle, no code run.

A ``.pth`` file is a pickle, and unpickling a file someone sent you can run their code. A
safetensors file is the safe kind of shipping box: an 8-byte length, a JSON table of contents
(each tensor's dtype, shape and byte range), then the raw little-endian numbers. So py5ml reads
a user's backbone weights only from this format, checking every entry of the table before a
byte of data is used. ``save_safetensors`` writes one (e.g. to convert a state dict you trust).

Example::

    import py5, py5ml, torchvision

    # once, with a state dict you trust: torchvision's, or your own fine-tuned one
    py5ml.save_safetensors(torchvision.models.mobilenet_v3_small().state_dict(), "mine.safetensors")
    classifier = py5ml.feature_extractor("MobileNet", weights="mine.safetensors").classification()

    def setup():
        py5.size(320, 240)

    def draw():
        py5.background(0)
        py5.text(f"{len(py5ml.load_safetensors('mine.safetensors'))} tensors", 10, 20)

    py5.run_sketch()
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import torch

from .._checks import check_path, quote, read_regular_file
from .._errors import BackboneError

__all__ = ["load_safetensors", "save_safetensors"]

MAX_FILE_BYTES = 2**30  # 1 GiB: far above any backbone a sketch runs
MAX_HEADER_BYTES = 16 * 2**20
MAX_TENSORS = 10_000
_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}
_NAMES = {dtype: name for name, dtype in _DTYPES.items()}


def load_safetensors(path) -> dict:
    """``{name: tensor}`` from a safetensors file; ``BackboneError`` for anything malformed."""
    path = check_path(path, "weights", error=BackboneError)
    raw = _read_regular(path)
    if len(raw) < 8:
        raise BackboneError(f"{quote(path.name)} is too short to be a safetensors file.")
    size = int.from_bytes(raw[:8], "little")
    if size > min(MAX_HEADER_BYTES, len(raw) - 8):
        raise BackboneError(f"{quote(path.name)} is not a safetensors file (its header length {size:,} does not fit).")
    try:
        header = json.loads(raw[8:8 + size].decode("utf-8"))
    except (ValueError, RecursionError):
        raise BackboneError(f"{quote(path.name)} is not a safetensors file (its header is not JSON).") from None
    if not isinstance(header, dict) or len(header) > MAX_TENSORS:
        raise BackboneError(f"{quote(path.name)} is not a safetensors file (its header is not a table of tensors).")
    data = memoryview(raw)[8 + size:]
    return {name: _tensor(name, entry, data, path.name) for name, entry in header.items() if name != "__metadata__"}


def _read_regular(path: Path) -> bytes:
    return read_regular_file(path, MAX_FILE_BYTES, error=BackboneError,
                             cannot_read="Cannot read the weights file {path}: {reason}.",
                             not_regular="The weights file {path} is not a regular file.",
                             too_large=f"The weights file {quote(path.name)} is larger than {{limit:,}} bytes.")


def _tensor(name, entry, data, where):
    bad = f"{where}: tensor {quote(name)} has a damaged entry {quote(entry)}. Save the weights again."
    if not isinstance(entry, dict) or not isinstance(entry.get("dtype"), str) or entry["dtype"] not in _DTYPES:
        raise BackboneError(bad)
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    if not isinstance(shape, list) or not all(type(d) is int and 0 <= d < 2**31 for d in shape):
        raise BackboneError(bad)
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
        raise BackboneError(bad)
    dtype = _DTYPES[entry["dtype"]]
    start, end = offsets
    if not 0 <= start <= end <= len(data) or end - start != math.prod(shape) * dtype.itemsize:
        raise BackboneError(bad)
    flat = torch.frombuffer(bytearray(data[start:end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
    return flat.reshape(shape)


def save_safetensors(state: dict, path) -> Path:
    """Write ``{name: tensor}`` as a safetensors file (via a temp file, then an atomic rename)."""
    path = check_path(path, "path", error=BackboneError)
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        t = tensor.detach().cpu().contiguous()
        if t.dtype not in _NAMES:
            raise BackboneError(f"Cannot save tensor {quote(name)} of dtype {t.dtype} as safetensors.")
        blob = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        chunks.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)  # keep the data 8-byte aligned, as the format recommends
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(len(text).to_bytes(8, "little") + text)
            for blob in chunks:
                file.write(blob)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path

