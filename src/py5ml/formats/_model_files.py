"""Model files in the TensorFlow.js Layers format: ``model.json`` + ``model.weights.bin``.

These are the files ``model.save()`` writes in TF.js and that ml5.js sketches load, so a model
trained in a py5 sketch can move to a p5.js sketch and back. ``save_model`` writes them atomically;
``load_model`` reads py5ml's own files, plain TF.js files, and ml5 0.x files (a featureExtractor
head with ``ml5Specs``, or a neuralNetwork with its ``model_meta.json``).

Loading treats every file as untrusted: no pickle, no ``torch.load``; JSON, topology, manifest and
file sizes are checked against each other before a single weight byte is read, and every problem
is a ``ModelFileError`` that says what to do next.

Example:
    >>> import tempfile, torch
    >>> seq = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=-1))
    >>> path = save_model(seq, tempfile.mkdtemp(), input_shape=(3,), metadata={"labels": ["a", "b"]})
    >>> loaded = load_model(path)
    >>> path.name, loaded.input_shape, loaded.labels, loaded.source
    ('model.json', (3,), ['a', 'b'], 'py5ml')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from ._atomic_files import write_model_files
from .._errors import ModelFileError
from ._tfjs_format import build_sequential, plan_layers, sequential_layers, topology_from_sequential
from ._weights_manifest import plan_weights, read_weights

MAX_JSON_BYTES = 16 * 2**20

# What each py5ml backbone gives a head, for check_input_shape's advice.
BACKBONE_FEATURES = {
    "mobilenet_v3_small": {"pooled": (576,), "spatial": (7, 7, 576)},
    "mobilenet_v2": {"pooled": (1280,), "spatial": (7, 7, 1280)},
    "mobilenet_v3_large": {"pooled": (960,), "spatial": (7, 7, 960)},
    "EfficientNetLite0": {"pooled": (1280,), "spatial": (7, 7, 1280)},
}
_KNOWN_INPUTS = {(7, 7, 256): "ml5's MobileNet v1 7×7×256 feature map"}


@dataclass(frozen=True)
class LoadedModel:
    """A model read from disk: the torch model plus what the files said about it.

    Attributes:
        model: float32 ``torch.nn.Sequential`` in ``eval()`` mode, on the CPU.
        input_shape: one input's shape without the batch dim, e.g. ``(3,)`` or ``(7, 7, 256)``.
        metadata: py5ml's metadata dict (for ml5 neuralNetwork files: task, labels and the raw
            ``model_meta.json`` under ``"ml5_meta"``); ``{}`` when there is none.
        labels: class labels when the files name them, else None.
        source: "py5ml", "tfjs", "ml5-feature-extractor" or "ml5-neural-network".
    """

    model: torch.nn.Sequential
    input_shape: tuple
    metadata: dict
    labels: list | None
    source: str


def save_model(model: torch.nn.Sequential, directory, name: str = "model", *,
               input_shape: tuple, metadata: dict | None = None) -> Path:
    """Save ``model`` as ``directory/name.json`` + ``directory/name.weights.bin`` for TF.js.

    The directory is created if needed. ``metadata`` (JSON-able) is kept in model.json under
    ``userDefinedMetadata.py5ml``, where TF.js's ``model.getUserDefinedMetadata()`` finds it.
    The save is atomic: see ``_atomic_files.write_model_files``.

    Args:
        model: a Sequential of nn.Linear, activations, nn.Flatten and nn.Dropout.
        input_shape: one input's shape without the batch dim, channels last: ``(3,)``, ``(7, 7, 256)``.
        metadata: e.g. ``{"task": "classification", "labels": ["red", "blue"]}``.

    Returns:
        The path of the .json file.

    Raises:
        ModelFileError: an unsupported module, bad metadata, or a file that cannot be written.
    """
    input_shape = _checked_input_shape(input_shape)
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ModelFileError(f"name {name!r} must be a plain file name such as 'model'.")
    topology, weights = topology_from_sequential(model, input_shape)
    metadata = dict(metadata or {})
    _, output_shape, _ = plan_layers(topology["config"]["layers"])
    _check_labels(metadata.get("labels"), output_shape, "metadata['labels']")
    document = {
        "format": "layers-model", "generatedBy": f"py5ml {_version()}", "convertedBy": None,
        "modelTopology": topology,
        "weightsManifest": [{"paths": [], "weights": [
            {"name": wname, "shape": list(array.shape), "dtype": "float32"} for wname, array in weights]}],
        "userDefinedMetadata": {"py5ml": metadata},
    }
    try:
        json.dumps(document, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"metadata must be plain JSON data (str, numbers, lists, dicts): {error}.") from None
    weight_bytes = b"".join(array.tobytes() for _, array in weights)
    try:
        return write_model_files(Path(directory), name, document, weight_bytes)
    except OSError as error:
        raise ModelFileError(f"Could not write the model to {directory}: {error}. Check the folder is writable.") from None


def _checked_input_shape(input_shape) -> tuple:
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if not shape or not all(type(dim) is int and dim > 0 for dim in shape):
        raise ModelFileError(f"input_shape must be a tuple of positive ints such as (3,), not {input_shape!r}.")
    return shape


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("py5ml")
    except Exception:  # running from a source checkout that was never installed
        return "0.1.0"


def load_model(path) -> LoadedModel:
    """Load a TF.js Layers model (py5ml, TF.js or ml5 0.x files) as a torch model.

    Args:
        path: the model's .json file, or a folder holding ``model.json``.

    Raises:
        ModelFileError: anything wrong with the files, named, with what to do next.
    """
    json_path = _json_path(path)
    document = _read_json(json_path, "model file")
    if not isinstance(document, dict) or "modelTopology" not in document:
        raise ModelFileError(f"{json_path.name} has no modelTopology: it is not a TF.js Layers model.json.")
    input_shape, output_shape, plans = plan_layers(sequential_layers(document["modelTopology"]))
    wanted = {f"{plan.name}/{kind}": (plan.name, kind, shape) for plan in plans for kind, shape in plan.weights.items()}
    groups = plan_weights(document.get("weightsManifest"), json_path.parent, wanted)
    source, metadata, labels = _describe(document, json_path, output_shape)
    model = build_sequential(plans, read_weights(groups))
    return LoadedModel(model, input_shape, metadata, labels, source)


def _json_path(path) -> Path:
    try:
        path = Path(path)
    except TypeError:
        raise ModelFileError(f"load_model needs a path to model.json, not {type(path).__name__}.") from None
    if path.is_dir():
        path = path / "model.json"
    if not path.is_file():
        raise ModelFileError(f"{path} does not exist. Pass the model's .json file or the folder holding model.json.")
    return path


def _read_json(path: Path, what: str):
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_JSON_BYTES + 1)
    except OSError as error:
        raise ModelFileError(f"Cannot read the {what} {path.name}: {error.strerror}.") from None
    if len(raw) > MAX_JSON_BYTES:
        raise ModelFileError(f"The {what} {path.name} is larger than {MAX_JSON_BYTES:,} bytes; that is not a sketch model.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"The {what} {path.name} is not valid JSON ({str(error)[:80]}). Save it again.") from None


def _no_constants(word):
    raise ValueError(f"{word} is not allowed in JSON")


def _describe(document: dict, json_path: Path, output_shape: tuple):
    """Work out (source, metadata, labels) from py5ml metadata, ml5Specs or model_meta.json."""
    user = document.get("userDefinedMetadata")
    if isinstance(user, dict) and "py5ml" in user:
        metadata = user["py5ml"]
        if not isinstance(metadata, dict):
            raise ModelFileError("userDefinedMetadata.py5ml must be an object. Save the model again with py5ml.")
        return "py5ml", metadata, _check_labels(metadata.get("labels"), output_shape, "py5ml metadata labels")
    if "ml5Specs" in document:
        return "ml5-feature-extractor", {}, _ml5_specs_labels(document["ml5Specs"], output_shape)
    meta_path = json_path.with_name(json_path.stem + "_meta.json")
    if meta_path.is_file():
        return _ml5_neural_network(_read_json(meta_path, "ml5 metadata file"), output_shape)
    return "tfjs", {}, None


def _ml5_specs_labels(specs, output_shape: tuple):
    labels = specs.get("mapStringToIndex") if isinstance(specs, dict) else None
    if not isinstance(labels, list) or not labels:
        return None
    if not all(isinstance(label, str) for label in labels) or len(labels) > output_shape[-1]:
        raise ModelFileError(
            f"ml5Specs.mapStringToIndex must list at most {output_shape[-1]} label strings (the head's outputs)."
        )
    # ml5 shows an output's index when it has no label (numLabels larger than the labels used).
    return labels + [str(index) for index in range(len(labels), output_shape[-1])]


def _ml5_neural_network(meta, output_shape: tuple):
    if isinstance(meta, dict) and isinstance(meta.get("meta"), dict):  # ml5 0.4 wrapped it
        meta = meta["meta"]
    outputs = meta.get("outputs") if isinstance(meta, dict) else None
    if not isinstance(outputs, dict):
        raise ModelFileError("model_meta.json needs an 'outputs' object, as ml5's neuralNetwork.save() writes.")
    labels = None
    for output in outputs.values():
        if isinstance(output, dict) and output.get("dtype") == "string":
            labels = _check_labels(output.get("uniqueValues"), output_shape, "model_meta.json uniqueValues")
            break
    task = "classification" if labels else "regression"
    return "ml5-neural-network", {"task": task, "labels": labels, "ml5_meta": meta}, labels


def _check_labels(labels, output_shape: tuple, what: str):
    if labels is None:
        return None
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ModelFileError(f"{what} must be a list of strings.")
    if len(labels) != output_shape[-1]:
        raise ModelFileError(
            f"{what} has {len(labels)} labels but the model's last layer has {output_shape[-1]} outputs. "
            "Give one label per output (retrain the model if the labels changed)."
        )
    return list(labels)


def check_input_shape(loaded: LoadedModel, expected_shape, what: str) -> None:
    """Make sure a loaded head accepts the features ``what`` (e.g. a backbone) produces.

    Example:
        >>> import torch
        >>> head = LoadedModel(torch.nn.Sequential(), (576,), {}, None, "py5ml")
        >>> check_input_shape(head, (576,), "mobilenet_v3_small pooled features")

    Raises:
        ModelFileError: when the shapes differ, listing what each py5ml backbone gives.
    """
    expected = tuple(expected_shape)
    if tuple(loaded.input_shape) == expected:
        return
    have = tuple(loaded.input_shape)
    known = f" ({_KNOWN_INPUTS[have]})" if have in _KNOWN_INPUTS else ""
    offers = "; ".join(
        f"{backbone} pooled {shapes['pooled']}, spatial {shapes['spatial']}" for backbone, shapes in BACKBONE_FEATURES.items()
    )
    raise ModelFileError(
        f"This head expects input {have}{known}, but {what} gives {expected}. "
        f"py5ml backbones give {offers} — retrain the head in py5ml on the backbone you use, "
        "or choose the backbone whose feature shape matches the head."
    )


__all__ = ["LoadedModel", "save_model", "load_model", "check_input_shape", "BACKBONE_FEATURES"]
