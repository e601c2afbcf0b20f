"""Putting weights into a backbone without ever unpickling a file a user gave us.

A ``.pth`` file is a pickle: loading one can run whatever code its author put in it. So a user's
weights come as ``.safetensors`` (plain numbers, see ``_safetensors``). Two kinds of ``.pth`` are
still read, with ``torch.load(weights_only=True)``, because their origin is known: torchvision's
downloads, accepted only under their published name *and* when the file's SHA-256 starts with the
hash that name carries (``mobilenet_v3_small-047dcff4.pth``), and the file an installed package
ships (EfficientNet-Lite0's). Like a parcel that is opened only when the seal matches the sender.

Example::

    net = torchvision.models.mobilenet_v3_small()
    load_state(net, "mine.safetensors", "mobilenet_v3_small")        # a user's weights
    load_state(net, hub / "mobilenet_v3_small-047dcff4.pth", "mobilenet_v3_small")  # hash-checked
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import torch

from .._checks import quote
from .._errors import BackboneError
from ._safetensors import load_safetensors

__all__ = ["load_state"]

_HASH_IN_NAME = re.compile(r"-([a-f0-9]{8,})\.")  # torchvision names its files name-<sha256 prefix>.pth


def load_state(net, path, what, *, trusted=False):
    """Load weights into ``net``: a safetensors file, a torchvision download whose SHA-256 matches the
    hash in its published name, or (``trusted``) a file an installed package ships. Never a user's pickle."""
    path = Path(path)
    if not path.exists():
        raise BackboneError(f"Weights file {quote(str(path))} not found for {what}.")
    if path.suffix == ".safetensors":
        state = load_safetensors(path)
    elif trusted or _is_published_torchvision_file(path, what):
        state = _load_checked_pickle(path)
    else:
        raise BackboneError(
            f"{quote(path.name)} is a pickled file, and py5ml never unpickles a file you give it (loading a "
            "pickle can run code). Give a .safetensors file (convert a state dict you trust with "
            "py5ml.save_safetensors(state, 'weights.safetensors')), or torchvision's "
            "own download under its published name, e.g. mobilenet_v3_small-047dcff4.pth."
        )
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    try:
        net.load_state_dict(state)
    except (RuntimeError, TypeError, AttributeError) as exc:
        raise BackboneError(f"{quote(str(path))} does not fit {what}: {str(exc).splitlines()[0][:200]}") from exc


def _is_published_torchvision_file(path, version) -> bool:
    """True when ``path`` is named like one of torchvision's weights for ``version`` and its SHA-256
    starts with the hash that name carries; a renamed or changed file is refused with the reason."""
    if path.name not in published_names(version):
        return False
    expected = _HASH_IN_NAME.search(path.name).group(1)
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(2**20), b""):
            digest.update(block)
    if not digest.hexdigest().startswith(expected):
        raise BackboneError(
            f"{quote(str(path))} carries torchvision's name but not its contents (its SHA-256 does not start "
            f"with {expected}). Delete it and let py5ml download it again, or download it from torchvision."
        )
    return True


def published_names(version) -> set:
    """The file names torchvision publishes weights for ``version`` under (empty when it has none)."""
    import torchvision

    try:
        return {os.path.basename(w.url) for w in torchvision.models.get_model_weights(version)}
    except (ValueError, KeyError):
        return set()


def _load_checked_pickle(path):
    """A state dict from a file whose origin is known (hash-checked or shipped by a package)."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise BackboneError(f"{quote(str(path))} is not a plain PyTorch state dict ({str(exc)[:200]}). "
                            "py5ml only loads state dicts, never pickled objects.") from exc
