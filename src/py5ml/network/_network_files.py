"""Save and load a ``NeuralNetwork``: the files ml5's ``save()`` writes, read back by either side.

``save()`` writes ``model.json`` + ``model.weights.bin`` (TF.js Layers format) and ml5's
``model_meta.json`` (the columns, their min/max or one-hot legend, ``isNormalized``). ml5 0.x's
``nn.load("model.json")`` reads these three files; py5ml reads them too, and ml5's own saves.
py5ml also keeps the same metadata inside ``model.json``, so the model file alone is enough here.

A ``model.json`` with no metadata at all (ml5's basics example) loads as numbers in, numbers out:
a classifier when its last layer is softmax, labels ``"0"``, ``"1"``...

Example::

    path = save_network(nn.model, nn.encoding, layers, "out")   # out/model.json
    model, encoding = load_network("out/model.json")
"""

from __future__ import annotations

import json

import torch

from .._checks import quote
from .._errors import ModelFileError
from ..formats._atomic_files import _replace_with
from ..formats._model_files import load_model, save_model
from ._encoding import Encoding

__all__ = ["save_network", "load_network"]


def save_network(model, encoding: Encoding, layers: list, directory=".", name="model"):
    meta = encoding.to_ml5_meta()
    metadata = {"task": encoding.task, "labels": encoding.labels or None, "ml5_meta": meta, "layers": layers}
    if metadata["labels"] is None:
        del metadata["labels"]
    path = save_model(model, directory, name, input_shape=(encoding.input_width,), metadata=metadata)
    _replace_with(path.with_name(f"{name}_meta.json"), json.dumps(meta, indent=2).encode("utf-8"))
    return path


def load_network(path):
    """``(model, encoding)`` from a py5ml or ml5 save; torch's random state is left as it was."""
    with torch.random.fork_rng(devices=[]):  # building layers draws random numbers: give them back
        loaded = load_model(path)
    if len(loaded.input_shape) != 1:
        raise ModelFileError(f"{path}: this model takes {tuple(loaded.input_shape)} inputs (a {loaded.source} image "
                             "model?); NeuralNetwork takes a row of numbers. Use py5ml.image_classifier for it.")
    if loaded.source in ("ml5-feature-extractor", "teachable-machine"):
        raise ModelFileError(f"{path} is a {loaded.source} model: load it with py5ml.feature_extractor or image_classifier.")
    width = int(loaded.input_shape[0])
    with torch.no_grad():
        out_width = int(loaded.model(torch.zeros(1, width)).shape[-1])
    return loaded.model, _encoding(loaded, width, out_width, path)


def _encoding(loaded, width, out_width, path) -> Encoding:
    meta = loaded.metadata or {}
    task = meta.get("task") or ("classification" if loaded.labels else _task_from_layers(loaded.model))
    if task not in ("classification", "regression"):
        raise ModelFileError(f"{path}: the saved task must be 'classification' or 'regression', not {quote(task)}.")
    if isinstance(meta.get("ml5_meta"), dict):
        return Encoding.from_ml5_meta(meta["ml5_meta"], task, width, out_width)
    if loaded.source == "py5ml":
        return _from_older_py5ml(meta, task, width, out_width, path)
    return Encoding.plain(task, width, out_width, loaded.labels)


def _task_from_layers(model) -> str:
    last = list(model.modules())[-1]
    return "classification" if isinstance(last, torch.nn.Softmax) else "regression"


def _from_older_py5ml(meta, task, width, out_width, path) -> Encoding:
    """Files saved before py5ml wrote ml5's metadata: names, labels and one min/max per input."""
    names = meta.get("inputs") if isinstance(meta.get("inputs"), list) else [f"input{i}" for i in range(width)]
    norm = meta.get("normalization")
    lows, highs = (norm.get("min"), norm.get("max")) if isinstance(norm, dict) else ([0] * width, [1] * width)
    spec = {
        "inputs": {str(n): {"dtype": "number", "min": lo, "max": hi} for n, lo, hi in _zip(names, lows, highs, width, path)},
        "outputs": ({"label": {"dtype": "string", "uniqueValues": meta.get("labels")}} if task == "classification"
                    else {str(n): {"dtype": "number"} for n in (meta.get("outputs") or [f"output{i}" for i in range(out_width)])}),
        "isNormalized": isinstance(norm, dict),
    }
    return Encoding.from_ml5_meta(spec, task, width, out_width)


def _zip(names, lows, highs, width, path):
    if not all(isinstance(x, list) and len(x) == width for x in (names, lows, highs)):
        raise ModelFileError(f"{path}: the saved input names and normalization must have {width} entries each. "
                             "Save the model again with py5ml.")
    return zip(names, lows, highs)

