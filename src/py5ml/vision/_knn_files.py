"""``KNNClassifier`` files in ml5's format, so examples move between p5.js and py5 sketches.

ml5's ``knnClassifier.save()`` writes one JSON file (``myKNN.json``) with two parts:

- ``"dataset"``: for each class index (``"0"``, ``"1"``...), what ``JSON.stringify`` makes of a
  TF.js tensor — ``shape`` ``[examples, width]``, ``dtype`` ``"float32"``, ``size``, ``strides``
  and a few bookkeeping fields — plus the class's ``"label"`` when it has a name;
- ``"tensors"``: one entry per class, in the same order, its numbers as ``{"0": x0, "1": x1, ...}``
  (how ``JSON.stringify`` writes a ``Float32Array``); each row is an example scaled to length 1.

Reading treats the file as untrusted: a regular file of bounded size, plain JSON (no NaN), every
field checked; any problem is a ``ModelFileError`` and nothing is loaded.

Example::

    knn.save("rps.json")          # in a py5 sketch; ml5's knnClassifier.load("rps.json") reads it
    knn.load("myKNN.json")        # a file saved by ml5 in the browser
"""

from __future__ import annotations

import json
import math

import numpy as np

from .._checks import check_path, quote, read_regular_file
from .._errors import ModelFileError
from ..formats._atomic_files import _replace_with

__all__ = ["read_knn_file", "write_knn_file"]

MAX_FILE_BYTES = 512 * 2**20  # ml5 writes ~20 bytes per number: this is ~25 million numbers
MAX_CLASSES = 10_000


def write_knn_file(path, groups: dict, names: dict):
    """Write ``{class index: (n, width) unit rows}`` and ``{class index: label}``; returns the path."""
    path = check_path(path, error=ModelFileError)
    if path.suffix != ".json":
        path = path.with_name(path.name + ".json")
    dataset, tensors = {}, []
    for position, (index, rows) in enumerate(sorted(groups.items())):
        dataset[str(index)] = _tensor_fields(rows.shape, position, names.get(index))
        tensors.append({str(i): float(x) for i, x in enumerate(rows.reshape(-1))})
    text = json.dumps({"dataset": dataset, "tensors": tensors}, allow_nan=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace_with(path, text.encode("utf-8"))
    except OSError as error:
        raise ModelFileError(f"Cannot write {quote(str(path))}: {error.strerror}. Pick another folder.") from None
    return path


def _tensor_fields(shape, position, label):
    """What JSON.stringify writes for a kept TF.js Tensor2D (and ml5's label)."""
    fields = {"kept": True, "isDisposedInternal": False, "shape": [int(shape[0]), int(shape[1])],
              "dtype": "float32", "size": int(shape[0] * shape[1]), "strides": [int(shape[1])],
              "dataId": {}, "id": position, "rankType": "2", "scopeId": 0}
    if label is not None:
        fields["label"] = label
    return fields


def read_knn_file(path):
    """``({class index: (n, width) float32 rows}, {class index: label})`` from an ml5 KNN file."""
    path = check_path(path, error=ModelFileError)
    document = _read_json(path)
    where = f"The KNN file {path.name}"
    if not isinstance(document, dict) or not isinstance(document.get("dataset"), dict) \
            or not isinstance(document.get("tensors"), list):
        raise ModelFileError(f"{where} is not a KNN classifier file: it needs a 'dataset' object and a "
                             "'tensors' list, as knnClassifier.save() writes.")
    dataset, tensors = document["dataset"], document["tensors"]
    if len(dataset) != len(tensors) or len(dataset) > MAX_CLASSES:
        raise ModelFileError(f"{where} has {len(dataset)} dataset entries but {len(tensors)} tensors; "
                             "they must match one to one. Save it again.")
    groups, names = {}, {}
    for key, tensor in zip(dataset, tensors):  # ml5 pairs them in the dataset's order
        index, entry = _class_index(key, where), dataset[key]
        if tensor is None:
            continue
        groups[index] = _rows(entry, tensor, f"{where}, class {key}")
        label = entry.get("label")
        if label is not None:
            names[index] = _label(label, f"{where}, class {key}")
    _check_consistent(groups, names, where)
    return groups, names


def _read_json(path):
    raw = read_regular_file(path, MAX_FILE_BYTES, error=ModelFileError,
                            cannot_read="Cannot read {path}: {reason}. Save one with knn.save(path).",
                            too_large="{name} is larger than {limit:,} bytes; that is not a KNN file.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"{path.name} is not valid JSON ({str(error)[:80]}). Save it again.") from None


def _no_constants(word):
    raise ValueError(f"{word} is not allowed in JSON")


def _class_index(key, where):
    if not (key.isascii() and key.isdigit()) or len(key) > 4:
        raise ModelFileError(f"{where} has a class named {quote(key)}; class keys are indices 0, 1, 2...")
    return int(key)


def _rows(entry, tensor, where):
    shape = entry.get("shape") if isinstance(entry, dict) else None
    if not (isinstance(shape, list) and len(shape) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and 0 < n <= 2**26 for n in shape)):
        raise ModelFileError(f"{where}: 'shape' must be [examples, width], not {quote(shape)}.")
    if entry.get("dtype", "float32") != "float32":
        raise ModelFileError(f"{where}: dtype must be 'float32', not {quote(entry.get('dtype'))}.")
    values = _values(tensor, where)
    if len(values) != shape[0] * shape[1]:
        raise ModelFileError(f"{where} holds {len(values)} numbers, but its shape {shape} needs {shape[0] * shape[1]}.")
    return np.asarray(values, np.float32).reshape(shape)


def _values(tensor, where):
    """A Float32Array as JSON.stringify writes it ({"0": x, ...}), or a plain list."""
    if isinstance(tensor, dict):
        if any(key != str(i) for i, key in enumerate(tensor)):
            raise ModelFileError(f"{where}: the numbers must be keyed 0, 1, 2... in order.")
        tensor = list(tensor.values())
    if not isinstance(tensor, list):
        raise ModelFileError(f"{where}: the numbers must be a list or a {{'0': x, ...}} object, not {quote(tensor)}.")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in tensor):
        raise ModelFileError(f"{where}: every value must be a finite number.")
    return tensor


def _label(label, where):
    if not isinstance(label, str) or not label.strip():
        raise ModelFileError(f"{where}: a label must be a non-empty string, not {quote(label)}.")
    return label


def _check_consistent(groups, names, where):
    widths = {rows.shape[1] for rows in groups.values()}
    if len(widths) > 1:
        raise ModelFileError(f"{where} mixes examples of different widths {sorted(widths)}; they must all match.")
    labels = list(names.values())
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise ModelFileError(f"{where} gives the label {quote(twice[0])} to two classes; each label needs its own class.")
    if not groups:
        raise ModelFileError(f"{where} holds no examples.")
