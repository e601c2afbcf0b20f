"""Atomic saving of a model.json + weights pair: a crash leaves the old model or the new, never a mix.

Two files cannot be replaced in one atomic step, and replacing ``model.weights.bin`` while the old
``model.json`` still points at it would pair old JSON with new weights (same size, wrong model).
So a save moves model.json's pointer the way a relay runner hands over a baton, never letting go:

1. write the weights to ``name.<hash>.weights.bin`` (content-addressed, a name no live model.json
   uses) and point a new model.json at it;
2. rewrite ``name.weights.bin`` (nothing points at it now) and point model.json back at it;
3. delete the hashed file and any leftovers from earlier interrupted saves.

Every file goes to a temporary name in the same folder, is fsynced, then ``os.replace``d into
place (weights before the json that points at them), and the folder is fsynced. A kill at any
moment leaves a model.json whose weights file holds exactly its weights; after a normal save the
folder holds just ``name.json`` + ``name.weights.bin``. Saving into one folder from two processes
at once is not supported.

Example:
    >>> import tempfile, pathlib
    >>> doc = {"weightsManifest": [{"paths": [], "weights": []}]}
    >>> write_model_files(pathlib.Path(tempfile.mkdtemp()), "model", doc, b"").name
    'model.json'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from pathlib import Path


def write_model_files(folder: Path, name: str, document: dict, weights: bytes) -> Path:
    """Write ``folder/name.json`` + ``folder/name.weights.bin`` atomically; return the json path."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{name}.json"
    final = f"{name}.weights.bin"
    staged = f"{name}.{hashlib.sha256(weights).hexdigest()[:16]}.weights.bin"
    _replace_with(folder / staged, weights)
    _replace_with(json_path, _json_bytes(document, staged))
    _replace_with(folder / final, weights)
    _replace_with(json_path, _json_bytes(document, final))
    _remove_leftovers(folder, name)
    return json_path


def _json_bytes(document: dict, weights_name: str) -> bytes:
    document["weightsManifest"][0]["paths"] = [f"./{weights_name}"]
    return json.dumps(document, allow_nan=False).encode("utf-8")


def _replace_with(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; its replace is durable enough for sketches
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_leftovers(folder: Path, name: str) -> None:
    """Delete hashed weights and temporary files that earlier (maybe killed) saves left behind."""
    hashed = re.compile(re.escape(name) + r"\.[0-9a-f]{16}\.weights\.bin")
    temporary = re.compile(r"\." + re.escape(name) + r"\..*\.[0-9a-f]{12}\.tmp")
    for path in folder.iterdir():
        if hashed.fullmatch(path.name) or temporary.fullmatch(path.name):
            path.unlink(missing_ok=True)
