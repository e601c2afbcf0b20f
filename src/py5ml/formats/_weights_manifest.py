"""Reading a TF.js ``weightsManifest`` safely: check everything first, then read the bytes.

A manifest is a list of groups; each group names its shard files (``paths``) and the weights that
lie in those shards, back to back, in order (``weights``: name, shape, dtype). Like a customs
check, every claim is checked against the others before anything is unpacked: paths stay inside
the model's folder, each weight matches the layer that needs it by name and shape, and the bytes
the manifest declares equal the bytes on disk. Only then are the shards read, so a file that
declares a terabyte-sized tensor is refused from ``stat()`` alone, with nothing allocated.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "w.bin").write_bytes(np.arange(2, dtype="<f4").tobytes())
    >>> manifest = [{"paths": ["./w.bin"], "weights": [{"name": "d/bias", "shape": [2], "dtype": "float32"}]}]
    >>> plan = plan_weights(manifest, folder, {"d/bias": ("d", "bias", (2,))})
    >>> read_weights(plan)[("d", "bias")].tolist()
    [0.0, 1.0]
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._errors import ModelFileError
from ._tfjs_config import check_shape

DTYPES = {"float32": "<f4", "int32": "<i4"}
MAX_WEIGHT_BYTES = 2**30  # 1 GiB: far above any sketch-sized model, far below "exhaust memory"
MAX_ENTRIES = 10_000  # weights in one manifest (MobileNetV2 has 263)
MAX_SHARDS = 1_000  # shard files in one manifest (MobileNet v1 has 55)


@dataclass(frozen=True)
class _Entry:
    key: tuple  # (layer name, "kernel" | "bias"); None for a weight that is skipped
    name: str
    shape: tuple
    dtype: str

    @property
    def nbytes(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count * 4  # both supported dtypes are 4 bytes wide


@dataclass(frozen=True)
class _Group:
    files: tuple  # resolved shard paths, in order
    entries: tuple


def plan_weights(manifest, folder: Path, wanted: dict, *, skip_unused: bool = False) -> list:
    """Check ``manifest`` against the files in ``folder`` and the ``wanted`` weights; read nothing.

    Args:
        manifest: the ``weightsManifest`` list from model.json.
        folder: the folder model.json lives in; every shard must resolve inside it.
        wanted: manifest weight name -> (layer name, "kernel"/"bias", expected shape).
        skip_unused: read past weights no layer wants (a backbone cut out of a bigger model)
            instead of refusing them.

    Raises:
        ModelFileError: naming the first thing that does not add up.
    """
    if not isinstance(manifest, list) or not manifest:
        raise ModelFileError("model.json needs a weightsManifest list with at least one group.")
    _check_counts(manifest)
    groups = [_plan_group(group, index, folder, wanted, skip_unused) for index, group in enumerate(manifest)]
    _check_coverage(groups, wanted)
    declared = sum(entry.nbytes for group in groups for entry in group.entries)
    if declared > MAX_WEIGHT_BYTES:
        raise ModelFileError(
            f"weightsManifest declares {declared:,} bytes of weights; py5ml refuses more than "
            f"{MAX_WEIGHT_BYTES:,}. The file is damaged or not meant for a sketch."
        )
    return groups


def _check_counts(manifest: list) -> None:
    """Refuse absurd manifests by their list lengths alone, before looking at any path or weight."""
    groups = [group for group in manifest if isinstance(group, dict)]
    paths = sum(len(group["paths"]) for group in groups if isinstance(group.get("paths"), list))
    weights = sum(len(group["weights"]) for group in groups if isinstance(group.get("weights"), list))
    if len(manifest) > MAX_SHARDS or paths > MAX_SHARDS or weights > MAX_ENTRIES:
        raise ModelFileError(
            f"weightsManifest lists {len(manifest):,} groups, {paths:,} shard files and {weights:,} weights; "
            f"py5ml reads at most {MAX_SHARDS:,} files and {MAX_ENTRIES:,} weights. The file is damaged or not a sketch model."
        )


def _plan_group(group, index: int, folder: Path, wanted: dict, skip_unused: bool) -> _Group:
    if not isinstance(group, dict) or not isinstance(group.get("paths"), list) or not isinstance(group.get("weights"), list):
        raise ModelFileError(f"weightsManifest[{index}] must be an object with a 'paths' list and a 'weights' list.")
    if not group["paths"]:
        raise ModelFileError(f"weightsManifest[{index}] lists no shard files.")
    entries = tuple(_plan_entry(entry, wanted, skip_unused) for entry in group["weights"])
    files = tuple(_safe_path(path, folder) for path in group["paths"])
    declared = sum(entry.nbytes for entry in entries)
    if declared > MAX_WEIGHT_BYTES:
        raise ModelFileError(
            f"weightsManifest[{index}] declares {declared:,} bytes of weights; py5ml refuses more than "
            f"{MAX_WEIGHT_BYTES:,}. The file is damaged or not meant for a sketch."
        )
    on_disk = sum(_regular_size(path) for path in files)
    if on_disk != declared:
        problem = "too short (truncated?)" if on_disk < declared else "longer than declared"
        raise ModelFileError(
            f"The weights files of weightsManifest[{index}] hold {on_disk:,} bytes but the manifest "
            f"declares {declared:,}: the weights are {problem}. Save the model again, both files together."
        )
    return _Group(files, entries)


def _plan_entry(entry, wanted: dict, skip_unused: bool = False) -> _Entry:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ModelFileError("Every weight in weightsManifest needs a 'name' string, a 'shape' and a 'dtype'.")
    name = entry["name"]
    if "quantization" in entry:
        raise ModelFileError(
            f"Weight {name[:80]!r} is quantized; py5ml reads float32 weights only. "
            "Convert the model again without --quantize_* options."
        )
    dtype = entry.get("dtype")
    if not isinstance(dtype, str) or dtype not in DTYPES:
        raise ModelFileError(f"Weight {name[:80]!r} has dtype {str(dtype)[:20]!r}; py5ml reads float32 and int32 weights.")
    shape = check_shape(entry.get("shape"), f"The shape of weight {name[:80]!r}")
    if name not in wanted and skip_unused:
        return _Entry(None, name, shape, dtype)
    return _Entry(_owner(name, shape, wanted), name, shape, dtype)


def _owner(name: str, shape: tuple, wanted: dict) -> tuple:
    """(layer, kind) of the layer that needs this weight, which must be the shape it declares."""
    if name not in wanted:
        raise ModelFileError(
            f"weightsManifest lists {name[:80]!r}, which no layer in modelTopology uses. "
            "The topology and the weights come from different models."
        )
    layer, kind, expected = wanted[name]
    if shape != tuple(expected):
        raise ModelFileError(
            f"Weight {name[:80]!r} has shape {list(shape)} but layer {layer!r} needs {list(expected)}: "
            "the weights belong to a different model."
        )
    return layer, kind


def _check_coverage(groups: list, wanted: dict) -> None:
    names = [entry.name for group in groups for entry in group.entries]
    if len(names) != len(set(names)):
        raise ModelFileError("weightsManifest lists a weight twice; each weight must appear once.")
    missing = sorted(set(wanted) - set(names))
    if missing:
        raise ModelFileError(f"weightsManifest has no entry for {missing[0]!r} (and {len(missing) - 1} more).")


def _safe_path(raw, folder: Path) -> Path:
    """A shard path that stays inside ``folder`` (no absolute paths, no '..', no symlink escapes)."""
    if not isinstance(raw, str) or not raw or "\x00" in raw or "\\" in raw or ":" in raw:
        raise ModelFileError(f"Weights path {str(raw)[:80]!r} is not a plain relative file name.")
    parts = [part for part in raw.split("/") if part not in ("", ".")]
    if raw.startswith("/") or ".." in parts or not parts:
        raise ModelFileError(
            f"Weights path {raw[:80]!r} points outside the model's folder. "
            "py5ml only reads weights files that sit beside model.json."
        )
    resolved = Path(os.path.realpath(folder.joinpath(*parts)))
    root = Path(os.path.realpath(folder))
    if root not in resolved.parents:
        raise ModelFileError(f"Weights path {raw[:80]!r} is a link that leads outside the model's folder.")
    return resolved


def _regular_size(path: Path) -> int:
    try:
        info = os.stat(path)
    except OSError:
        raise ModelFileError(
            f"The weights file {path.name!r} is missing. Keep model.json and its .bin file(s) together."
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ModelFileError(f"The weights file {path.name!r} is not a regular file.")
    return info.st_size


def read_weights(groups: list) -> dict:
    """Read the planned shards; return (layer name, kind) -> float32 array. Refuses NaN and Inf."""
    arrays = {}
    for group in groups:
        data = b"".join(_read_exact(path) for path in group.files)
        if len(data) != sum(entry.nbytes for entry in group.entries):
            raise ModelFileError("A weights file changed size while py5ml was reading it; try again.")
        offset = 0
        for entry in group.entries:
            if entry.key is not None:
                chunk = np.frombuffer(data, DTYPES[entry.dtype], entry.nbytes // 4, offset)
                arrays[entry.key] = _finite(chunk.astype(np.float32).reshape(entry.shape), entry.name)
            offset += entry.nbytes
    return arrays


def _read_exact(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise ModelFileError(f"Cannot open the weights file {path.name!r}: {error.strerror}.") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ModelFileError(f"The weights file {path.name!r} is not a regular file.")
        return file.read(min(info.st_size, MAX_WEIGHT_BYTES) + 1)


def _finite(array: np.ndarray, name: str) -> np.ndarray:
    if not np.isfinite(array).all():
        raise ModelFileError(
            f"Weight {name[:80]!r} contains NaN or infinity, so the model would only predict NaN. "
            "Retrain it (a lower learning rate often helps) and save again."
        )
    return array
