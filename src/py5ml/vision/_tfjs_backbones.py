"""Backbones read from TF.js files: ml5's MobileNet v1 and a Teachable Machine export's MobileNetV2.

- ``"mobilenet_v1_0.25"`` (``feature_extractor("MobileNet", version=1)``): ml5 0.x's backbone.
  ``weights="DEFAULT"`` downloads ml5's files once (see ``_mobilenet_v1``); a folder (or its
  model.json) reads them offline; None gives random weights (tests, timing).
- ``"mobilenet_v2_0.35"`` (``feature_extractor("MobileNetV2_0.35", weights="my_model/model.json")``):
  the MobileNetV2 base inside every Teachable Machine image export, cut at ``out_relu``.
  Anyone with a Teachable Machine export has a real, pretrained MobileNet offline.

Pictures are prepared as the files' makers did (``_tfjs_preprocess``), and the networks run
channels-last, so features are the ones ml5 and Teachable Machine compute.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .._checks import check_path, quote
from .._errors import BackboneError, ModelFileError
from ..formats._json_files import model_json_path, read_json
from ..formats._tfjs_model import build_model, load_layers_model, plan_model
from ..formats._weights_manifest import plan_weights, read_weights
from . import _mobilenet_v1 as v1
from ._backbones import Backbone
from ._tfjs_preprocess import prepare

V1 = "mobilenet_v1_0.25"
TM_V2 = "mobilenet_v2_0.35"
SPECS = {  # version -> (name, channels, recipe, feature map side)
    V1: ("MobileNet", 256, "ml5", 7),
    TM_V2: ("MobileNetV2_0.35", 1280, "teachable_machine", 7),
}


@dataclass
class TfjsBackbone(Backbone):
    """A ``Backbone`` whose network came from TF.js files: channels-last, its makers' preprocessing."""

    recipe: str = "ml5"
    side: int = 7
    topology: dict = None  # the Keras layers it was built from (for saving in ml5's layout)

    @property
    def feature_shape(self):
        return (self.channels,) if self.layer == "pooled" else (self.side, self.side, self.channels)

    def to_tensor(self, images):
        """(N, 224, 224, 3) float32 channels-last, prepared like ml5 / Teachable Machine do."""
        return torch.from_numpy(np.stack([prepare(image, self.recipe, 224) for image in images])).to(self.device)

    @torch.inference_mode()
    def extract(self, images):
        maps = self.trunk(self.to_tensor(images))
        out = maps.mean(dim=(1, 2)) if self.layer == "pooled" else maps
        return out.float().cpu().numpy().copy()


def load_tfjs_backbone(version: str, weights, layer: str, device) -> TfjsBackbone:
    """Build one of the TF.js backbones (``V1`` or ``TM_V2``) on ``device``."""
    name, channels, recipe, side = SPECS[version]
    trunk, where, topology = mobilenet_v1(weights) if version == V1 else teachable_base(weights)
    trunk = trunk.to(device).eval().requires_grad_(False)
    return TfjsBackbone(name, version, layer, trunk, channels, (0.0,) * 3, (1.0,) * 3, device, where,
                        recipe=recipe, side=side, topology=topology)


def keras_weights(backbone: TfjsBackbone) -> list:
    """``[(manifest name, float32 array)]`` of a TF.js backbone, read again from where it came from."""
    plan = plan_model(backbone.topology)
    if backbone.weights == "random":
        arrays = random_arrays(plan)
    else:
        json_path = model_json_path(backbone.weights, "weights")
        document = read_json(json_path, "backbone model file")
        groups = plan_weights(document.get("weightsManifest"), json_path.parent, plan.wanted(), skip_unused=True)
        arrays = read_weights(groups)
    return [(name, arrays[(layer, kind)]) for name, (layer, kind, _) in plan.wanted().items()]


def weights_folder(weights, what: str) -> Path:
    """The model.json a ``weights=`` argument points at (the file, or a folder holding it)."""
    check_path(weights, "weights", error=ModelFileError)
    try:
        return model_json_path(weights, "weights")
    except ModelFileError:
        raise ModelFileError(
            f"weights={str(weights)[:200]!r} is not a model.json or a folder holding one. Give {what}."
        ) from None


def mobilenet_v1(weights, *, classifier: bool = False):
    """ml5's MobileNet v1 0.25: ``(module, where the weights came from, topology)``; to the features or the logits."""
    topology = v1.mobilenet_v1_topology(classifier=classifier)
    if weights is None:
        return random_module(topology), "random", topology
    json_path = cached_ml5_weights() if _is_default(weights) else weights_folder(
        weights, "the folder of ml5's mobilenet_v1_0.25_224 files (model.json + group*-shard* files)")
    document = read_json(json_path, "MobileNet v1 model file")
    if isinstance(document, dict) and document.get("modelTopology") is not None:
        topology = document["modelTopology"] if classifier else cut_at(document["modelTopology"], v1.FEATURE_LAYER)
    module, plan = load_layers_model(document, json_path.parent, topology, skip_unused=not classifier)
    expected = (1000,) if classifier else (7, 7, 256)
    if plan.output_shape != expected:
        raise BackboneError(f"{json_path} is not MobileNet v1 alpha 0.25: it gives {plan.output_shape}, not {expected}.")
    return module, str(json_path.parent), topology


def teachable_base(weights):
    """The MobileNetV2 (alpha 0.35) base of a Teachable Machine image export, to ``out_relu`` (7×7×1280)."""
    if weights is None or _is_default(weights):
        raise BackboneError(
            "MobileNetV2_0.35 comes from a Teachable Machine export: pass weights='my_model/model.json' "
            "(Teachable Machine, Image Project, Export Model, TensorFlow.js, Download)."
        )
    json_path = weights_folder(weights, "a Teachable Machine export's model.json (or its folder)")
    document = read_json(json_path, "Teachable Machine model file")
    base = _first_functional(document.get("modelTopology") if isinstance(document, dict) else None)
    if base is None:
        raise BackboneError(f"{json_path} has no MobileNetV2 base inside; is it a Teachable Machine image model?")
    module, plan = load_layers_model(document, json_path.parent, base, skip_unused=True)
    if (plan.input_shape, plan.output_shape) != ((224, 224, 3), (7, 7, 1280)):
        raise BackboneError(f"{json_path}'s base is not Teachable Machine's MobileNetV2 0.35 (224 px in, 7×7×1280 out).")
    return module, str(json_path), base


def _first_functional(topology, depth: int = 0):
    """Depth-first, the first functional Model inside a (nested) topology."""
    if not isinstance(topology, dict) or depth > 16:
        return None
    topology = topology.get("model_config", topology)
    if topology.get("class_name") in ("Model", "Functional"):
        return topology
    config = topology.get("config")
    layers = config.get("layers") if isinstance(config, dict) else config
    for layer in layers if isinstance(layers, list) else []:
        found = _first_functional(layer, depth + 1)
        if found is not None:
            return found
    return None


def cut_at(topology, layer_name: str) -> dict:
    """A copy of a functional topology whose output is ``layer_name``, keeping only what feeds it."""
    topology = topology.get("model_config", topology) if isinstance(topology, dict) else None
    config = topology.get("config") if isinstance(topology, dict) else None
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list) or topology.get("class_name") not in ("Model", "Functional"):
        raise BackboneError(f"This MobileNet file is not a functional model, so py5ml cannot find {layer_name} in it.")
    by_name = {layer.get("name"): layer for layer in layers if isinstance(layer, dict)}
    keep, todo = set(), [layer_name]
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name not in by_name:
            raise BackboneError(f"This MobileNet file has no layer {quote(name)}; it is not ml5's MobileNet v1.")
        keep.add(name)
        todo += [ref[0] for node in by_name[name].get("inbound_nodes") or [] for ref in node if isinstance(ref, list) and ref]
    cut = copy.deepcopy(topology)
    cut["config"]["layers"] = [layer for layer in cut["config"]["layers"] if isinstance(layer, dict) and layer.get("name") in keep]
    cut["config"]["output_layers"] = [[layer_name, 0, 0]]
    return cut


def random_module(topology):
    """The model with random weights from numpy's generator (torch's random state is left alone)."""
    plan = plan_model(topology)
    return build_model(plan, random_arrays(plan))


def random_arrays(plan) -> dict:
    """The same random weights every time: He-normal kernels, neutral batch norms, zero biases."""
    rng = np.random.default_rng(0)
    arrays = {}
    for layer, kind, shape in plan.wanted().values():
        if kind in ("kernel", "depthwise_kernel", "pointwise_kernel"):
            fan_in = max(1, int(np.prod(shape[:-1])))
            arrays[(layer, kind)] = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape).astype(np.float32)
        else:
            arrays[(layer, kind)] = np.full(shape, 1.0 if kind in ("gamma", "moving_variance") else 0.0, np.float32)
    return arrays


def cached_ml5_weights() -> Path:
    """ml5's MobileNet v1 files in torch's cache folder, downloaded from ml5's URL the first time."""
    from ..formats._tfjs_download import download_tfjs_model

    folder = Path(torch.hub.get_dir()) / "py5ml" / "mobilenet_v1_0.25_224"
    if (folder / "model.json").is_file():
        return folder / "model.json"
    print(f"py5ml: downloading ml5's MobileNet v1 (once, 1.9 MB) to {folder}")
    try:
        return download_tfjs_model(v1.ML5_URL, folder)
    except (OSError, ValueError) as error:  # no network, proxy, disk full: all mean the same to a sketcher
        raise BackboneError(
            f"Could not download ml5's MobileNet v1 ({type(error).__name__}: {str(error)[:200]}). Offline, download "
            f"{v1.ML5_URL} and the group*-shard* files it lists into one folder, and pass weights='that/folder'."
        ) from error


def _is_default(weights) -> bool:
    return isinstance(weights, str) and weights.upper() == "DEFAULT"
