"""Atomic saving of a model.json + weights pair: a crash leaves the old model or the new, never a mix.

Two files cannot be replaced in one atomic step, and replacing ``model.weights.bin`` while the old
``model.json`` still points at it would pair old JSON with new weights (same size, wrong model).
So a save moves model.json's pointer the way a relay runner hands over a baton, never letting go:

1. write the weights to ``name.<hash>.weights.bin`` (content-addressed, a name no live model.json
   uses) and point a new model.json at it;
2. rewrite ``name.weights.bin`` (nothing points at it now) and point model.json back at it;
3. delete the hashed file and any leftovers from earlier interrupted saves.

Clean-up never deletes another model's file: a ``name.<16 hex>.weights.bin`` is only a leftover
when no ``.json`` in the folder points at it and it is not itself a model's weights (a model
saved with ``name="model.0123456789abcdef"`` has exactly that weights file). A save that fails
part-way removes what it wrote that no model.json points at.

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

_MAX_SCANNED_JSON = 16 * 2**20  # a model.json larger than this is not loadable anyway


def write_model_files(folder: Path, name: str, document: dict, weights: bytes) -> Path:
    """Write ``folder/name.json`` + ``folder/name.weights.bin`` atomically; return the json path."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / f"{name}.json"
    final = f"{name}.weights.bin"
    staged = f"{name}.{hashlib.sha256(weights).hexdigest()[:16]}.weights.bin"
    if (folder / staged).exists() and _referenced(folder, staged):
        staged = f"{name}.{uuid.uuid4().hex[:16]}.weights.bin"  # that name is another model's file
    try:
        _replace_with(folder / staged, weights)
        _replace_with(json_path, _json_bytes(document, staged))
        _replace_with(folder / final, weights)
        _replace_with(json_path, _json_bytes(document, final))
    except BaseException:
        if not _referenced(folder, staged):
            (folder / staged).unlink(missing_ok=True)
        raise
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
        if temporary.fullmatch(path.name):
            path.unlink(missing_ok=True)
        elif hashed.fullmatch(path.name) and not _referenced(folder, path.name):
            path.unlink(missing_ok=True)


def _referenced(folder: Path, weights_name: str) -> bool:
    """True when ``weights_name`` is some model's file: a .json in ``folder`` names it, or it is
    the weights of a model called ``<its stem>`` (``model.0123456789abcdef.json``)."""
    if (folder / (weights_name[: -len(".weights.bin")] + ".json")).exists():
        return True
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_size <= _MAX_SCANNED_JSON and weights_name in path.read_text("utf-8", "replace"):
                return True
        except OSError:
            continue
    return False
