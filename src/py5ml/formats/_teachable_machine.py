"""Teachable Machine image exports: ``model.json`` + ``weights.bin`` + ``metadata.json``.

Teachable Machine (teachablemachine.withgoogle.com, Image Project, Export, TensorFlow.js,
Download) gives a folder ``my_model/`` with those three files. ``model.json`` is an ordinary
TF.js Layers model (a MobileNetV2 base and a small head); ``metadata.json`` names the classes
(``labels``) and the picture size the model reads (``imageSize``, 224).

Teachable Machine's own library prepares a picture by cropping the centre square, resizing it to
``imageSize`` and scaling each channel with ``x / 127 - 1``; py5ml does the same.

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> meta = {"tmVersion": "2.4.11", "labels": ["cat", "dog"], "imageSize": 224}
    >>> _ = (folder / "metadata.json").write_text(json.dumps(meta))
    >>> teachable_machine_metadata(folder / "model.json", 2)["labels"]
    ['cat', 'dog']
"""

from __future__ import annotations

from pathlib import Path

from .._checks import quote
from .._errors import ModelFileError
from ._json_files import labels_list, read_json

_KEPT = ("tmVersion", "tfjsVersion", "packageName", "packageVersion", "modelName", "timeStamp")


def is_teachable_machine(meta) -> bool:
    """A Teachable Machine metadata.json names its version or its package."""
    return isinstance(meta, dict) and ("tmVersion" in meta or "teachablemachine" in str(meta.get("packageName", "")))


def teachable_machine_metadata(json_path: Path, output_count: int):
    """py5ml metadata from the ``metadata.json`` beside ``json_path``, or None when there is none.

    Raises:
        ModelFileError: a Teachable Machine metadata.json whose labels or imageSize do not fit the model.
    """
    path = json_path.with_name("metadata.json")
    if not path.is_file():
        return None
    meta = read_json(path, "Teachable Machine metadata file")
    if not is_teachable_machine(meta):
        return None
    labels = labels_list(meta.get("labels"), output_count, "metadata.json's labels")
    if labels is None:
        raise ModelFileError("metadata.json has no labels. Export the model from Teachable Machine again.")
    size = meta.get("imageSize", 224)
    if type(size) is not int or not 8 <= size <= 4096:
        raise ModelFileError(f"metadata.json's imageSize must be a whole number of pixels, not {quote(size)}.")
    about = {key: str(meta[key])[:200] for key in _KEPT if key in meta}
    return {"task": "classification", "labels": labels, "image_size": size, "preprocess": "teachable_machine",
            "teachable_machine": about}
