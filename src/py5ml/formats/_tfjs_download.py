"""Downloading a TF.js model folder (``model.json`` + its weight shards) once, into a cache folder.

ml5 0.x fetches MobileNet from Google's storage every time a sketch starts; py5ml fetches the same
files once and keeps them. The shard names come from the downloaded ``model.json``, so they are
checked like any model file's: plain names beside ``model.json``, a bounded number of them.
``model.json`` is written last, so a folder that has it is complete.

Example::

    folder = download_tfjs_model("https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json",
                                 Path.home() / ".cache" / "mobilenet_v1_0.25_224")
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from .._errors import ModelFileError
from ._json_files import read_json
from ._weights_manifest import MAX_SHARDS


def download_tfjs_model(url: str, folder: Path) -> Path:
    """Fetch ``url`` (a model.json) and the shards it lists into ``folder``; returns folder/model.json.

    Raises:
        OSError (or urllib's errors): no network, or the folder cannot be written.
        ModelFileError: the downloaded model.json is not a TF.js model with plain shard names.
    """
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        staged = Path(scratch) / "model.json"
        torch.hub.download_url_to_file(url, str(staged), progress=False)
        for name in shard_names(read_json(staged, "downloaded model file")):
            torch.hub.download_url_to_file(urljoin(url, name), str(Path(scratch) / name), progress=False)
            os.replace(Path(scratch) / name, folder / name)
        os.replace(staged, folder / "model.json")
    return folder / "model.json"


def shard_names(document) -> list:
    """The weight files a model.json lists: plain file names only, at most ``MAX_SHARDS``."""
    manifest = document.get("weightsManifest") if isinstance(document, dict) else None
    groups = manifest if isinstance(manifest, list) else []
    names = [path for group in groups if isinstance(group, dict) for path in group.get("paths") or []]
    if not names or len(names) > MAX_SHARDS:
        raise ModelFileError("The downloaded model.json lists no weight files (or too many); it is not a TF.js model.")
    clean = [name[2:] if isinstance(name, str) and name.startswith("./") else name for name in names]
    for name in clean:
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
            raise ModelFileError(f"The downloaded model.json names a weight file {str(name)[:80]!r}; py5ml fetches plain names only.")
    return clean
