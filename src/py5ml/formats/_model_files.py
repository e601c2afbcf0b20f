"""Model files in the TensorFlow.js Layers format: ``model.json`` + ``model.weights.bin``.

These are the files ``model.save()`` writes in TF.js and that ml5.js sketches load, so a model
trained in a py5 sketch can move to a p5.js sketch and back. ``save_model`` writes them atomically;
``load_model`` reads py5ml's own files, plain TF.js files (any Sequential or functional Model,
through the interpreter in ``_tfjs_model``), ml5 0.x and 1.x files (featureExtractor heads, a
neuralNetwork with its ``model_meta.json``) and Teachable Machine exports (``metadata.json``).

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
import os
from dataclasses import dataclass
from pathlib import Path

import torch

from ._atomic_files import write_model_files
from .._errors import ModelFileError
from .._checks import check_path, quote
from ._json_files import MAX_JSON_BYTES, labels_list, model_json_path, read_json
from ._metadata_checks import check_ml5_columns, check_py5ml_metadata
from ._ml5_files import describe_head, is_ml5_v1_meta, ml5_specs_labels, ml5_v1_labels
from ._ml5_save import joint_head
from ._teachable_machine import teachable_machine_metadata
from ._tfjs_format import topology_from_sequential
from ._tfjs_model import load_layers_model, plan_model

# What each py5ml backbone gives a head, for check_input_shape's advice.
BACKBONE_FEATURES = {
    "mobilenet_v3_small": {"pooled": (576,), "spatial": (7, 7, 576)},
    "mobilenet_v2": {"pooled": (1280,), "spatial": (7, 7, 1280)},
    "mobilenet_v3_large": {"pooled": (960,), "spatial": (7, 7, 960)},
    "EfficientNetLite0": {"pooled": (1280,), "spatial": (7, 7, 1280)},
    "mobilenet_v1_0.25": {"pooled": (256,), "spatial": (7, 7, 256)},
    "MobileNetV2_0.35": {"pooled": (1280,), "spatial": (7, 7, 1280)},
}
_KNOWN_INPUTS = {(7, 7, 256): "ml5's MobileNet v1 7×7×256 feature map"}


@dataclass(frozen=True)
class LoadedModel:
    """A model read from disk: the torch model plus what the files said about it.

    Attributes:
        model: a float32 torch module in ``eval()`` mode, on the CPU: an ``nn.Sequential`` when the
            layers form a chain, else a graph. Pictures go in channels-last, (N, 224, 224, 3).
        input_shape: one input's shape without the batch dim, e.g. ``(3,)`` or ``(224, 224, 3)``.
        metadata: py5ml's metadata dict (for ml5 neuralNetwork files: task, labels and the raw
            ``model_meta.json`` under ``"ml5_meta"``; for Teachable Machine: labels and
            ``image_size``); ``{}`` when there is none.
        labels: class labels when the files name them, else None.
        source: "py5ml", "tfjs", "ml5-feature-extractor", "ml5-neural-network" or "teachable-machine".
    """

    model: torch.nn.Module
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
    if not isinstance(model, torch.nn.Module):
        raise ModelFileError(f"model must be a torch.nn.Sequential, not {quote(model)}.")
    if metadata is not None and not isinstance(metadata, dict):
        raise ModelFileError(f"metadata must be a dict such as {{'labels': ['red', 'blue']}}, not {quote(metadata)}.")
    topology, weights = topology_from_sequential(model, input_shape)
    metadata = dict(metadata or {})
    _check_labels(metadata.get("labels"), plan_model(topology).output_shape, "metadata['labels']")
    document = {
        "format": "layers-model", "generatedBy": f"py5ml {_version()}", "convertedBy": None,
        "modelTopology": topology,
        "weightsManifest": [{"paths": [], "weights": [
            {"name": wname, "shape": list(array.shape), "dtype": "float32"} for wname, array in weights]}],
        "userDefinedMetadata": {"py5ml": metadata},
    }
    return save_document(directory, name, document, b"".join(array.tobytes() for _, array in weights))


def save_document(directory, name: str, document: dict, weight_bytes: bytes) -> Path:
    """Write a ready model.json document and its weights atomically; returns the .json path."""
    directory, name = save_target(directory, name)
    try:
        json.dumps(document, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"metadata must be plain JSON data (str, numbers, lists, dicts): {error}.") from None
    try:
        return write_model_files(Path(directory), name, document, weight_bytes)
    except OSError as error:
        raise ModelFileError(f"Could not write the model to {quote(str(directory))}: {quote(str(error), 200)}. "
                             "Check the folder is writable.") from None


def save_target(directory, name: str = "model") -> tuple:
    """``(folder, name)`` for a save: ``"out"`` gives ``(out, name)``; ``"out/robot.json"`` the file itself,
    ``(out, "robot")``, never a folder called robot.json."""
    folder = check_path(directory, "path", error=ModelFileError)
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        raise ModelFileError(f"name {quote(name)} must be a plain file name such as 'model'.")
    if folder.suffix.lower() == ".json" and not folder.is_dir():
        folder, name = folder.parent, folder.stem
        if not name or name.startswith("."):
            raise ModelFileError(f"{quote(str(directory))} needs a file name before .json, such as 'out/model.json'.")
    if len(os.fsencode(name)) > 200:
        raise ModelFileError(f"name {quote(name)} is too long for the file system. Use a shorter name such as 'model'.")
    return folder, name


def _checked_input_shape(input_shape) -> tuple:
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if not shape or not all(type(dim) is int and dim > 0 for dim in shape):
        raise ModelFileError(f"input_shape must be a tuple of positive ints such as (3,), not {quote(input_shape)}.")
    return shape


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("py5ml")
    except Exception:  # running from a source checkout that was never installed
        return "0.1.0"


def load_model(path) -> LoadedModel:
    """Load a TF.js Layers model (py5ml, TF.js, ml5 0.x/1.x or Teachable Machine files) as a torch model.

    Any Sequential or functional Model, nested to any depth, built from the layers TF.js sketches
    use (Dense, Conv2D, DepthwiseConv2D, BatchNormalization, pooling...). Every file is checked
    before a byte of weights is read. Example::

        loaded = py5ml.load_model("my_model/model.json")   # a Teachable Machine export
        print(loaded.labels, loaded.input_shape)            # ['Bricks', 'Handphone', 'Unknown'] (224, 224, 3)

    Args:
        path: the model's .json file, or a folder holding ``model.json``.

    Raises:
        ModelFileError: anything wrong with the files, named, with what to do next.
    """
    json_path = model_json_path(path)
    document = _read_json(json_path, "model file")
    if not isinstance(document, dict) or "modelTopology" not in document:
        raise ModelFileError(f"{json_path.name} has no modelTopology: it is not a TF.js Layers model.json.")
    if document["modelTopology"] is None:
        raise ModelFileError(
            f"{json_path.name} holds weights only (its modelTopology is null). For ml5's MobileNet v1 weights "
            "use feature_extractor('MobileNet', version=1, weights='that/folder')."
        )
    plan = plan_model(document["modelTopology"])
    source, metadata, labels = _describe(document, json_path, plan.output_shape, plan.input_shape)
    model, _ = load_layers_model(document, json_path.parent)
    return LoadedModel(model, plan.input_shape, metadata, labels, source)


def load_head(path):
    """Only the head of a file that holds a backbone and a head (ml5 0.x's featureExtractor save, a
    Teachable Machine export), as a ``LoadedModel``; None for a file that is not made that way."""
    json_path = model_json_path(path)
    document = _read_json(json_path, "model file")
    head = joint_head(document.get("modelTopology")) if isinstance(document, dict) else None
    if head is None:
        return None
    plan = plan_model(head)
    source, metadata, labels = _describe(document, json_path, plan.output_shape, plan.input_shape)
    if source == "teachable-machine":
        metadata = dict(metadata, backbone="MobileNetV2_0.35", version="mobilenet_v2_0.35", layer="pooled",
                        feature_shape=list(plan.input_shape))
    model, _ = load_layers_model(document, json_path.parent, head, skip_unused=True)
    return LoadedModel(model, plan.input_shape, metadata, labels, source)


def _read_json(path: Path, what: str):
    return read_json(path, what)


def _describe(document: dict, json_path: Path, output_shape: tuple, input_shape: tuple = ()):
    """Work out (source, metadata, labels) from py5ml metadata, ml5's files or Teachable Machine's."""
    user = document.get("userDefinedMetadata")
    if isinstance(user, dict) and "py5ml" in user:
        metadata = user["py5ml"]
        if not isinstance(metadata, dict):
            raise ModelFileError("userDefinedMetadata.py5ml must be an object. Save the model again with py5ml.")
        labels = _check_labels(metadata.get("labels"), output_shape, "py5ml metadata labels")
        return "py5ml", check_py5ml_metadata(metadata, input_shape, output_shape), labels
    if "ml5Specs" in document:
        labels = ml5_specs_labels(document["ml5Specs"], output_shape[-1])
        return "ml5-feature-extractor", describe_head(input_shape, labels, "0.x"), labels
    if is_ml5_v1_meta(user):
        return _ml5_v1_head(user, input_shape, output_shape)
    meta_path = json_path.with_name(json_path.stem + "_meta.json")
    if _is_file(meta_path):
        meta = _read_json(meta_path, "ml5 metadata file")
        if is_ml5_v1_meta(meta):
            return _ml5_v1_head(meta, input_shape, output_shape)
        return _ml5_neural_network(meta, output_shape, input_shape)
    teachable = teachable_machine_metadata(json_path, output_shape[-1])
    if teachable is not None:
        return "teachable-machine", teachable, teachable["labels"]
    return "tfjs", {}, None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system cannot be there
        return False


def _ml5_v1_head(meta: dict, input_shape: tuple, output_shape: tuple):
    task, labels = ml5_v1_labels(meta, output_shape[-1])
    return "ml5-feature-extractor", describe_head(input_shape, labels, "1.x", task), labels


def _ml5_neural_network(meta, output_shape: tuple, input_shape: tuple = ()):
    if isinstance(meta, dict) and isinstance(meta.get("meta"), dict):  # ml5 0.4 wrapped it
        meta = meta["meta"]
    if isinstance(meta, dict) and len(input_shape) == 1:
        check_ml5_columns(meta, input_shape[0])
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
    return labels_list(labels, output_shape[-1], what)


def check_input_shape(loaded: LoadedModel, expected_shape, what: str) -> None:
    """Make sure a loaded head accepts the features ``what`` (e.g. a backbone) produces.

    Example:
        >>> import torch
        >>> head = LoadedModel(torch.nn.Sequential(), (576,), {}, None, "py5ml")
        >>> check_input_shape(head, (576,), "mobilenet_v3_small pooled features")

    Raises:
        ModelFileError: when the shapes differ, listing what each py5ml backbone gives.
    """
    if not isinstance(loaded, LoadedModel):
        raise ModelFileError(f"check_input_shape needs a LoadedModel (from load_model), not {quote(loaded)}.")
    if not isinstance(expected_shape, (tuple, list)) or not all(type(d) is int for d in expected_shape):
        raise ModelFileError(f"expected_shape must be a tuple of ints such as (576,), not {quote(expected_shape)}.")
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


__all__ = ["LoadedModel", "save_model", "save_document", "load_model", "load_head", "check_input_shape", "BACKBONE_FEATURES"]
