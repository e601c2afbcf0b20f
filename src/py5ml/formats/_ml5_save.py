"""Writing a featureExtractor head the way ml5 0.x saves it, so ml5's ``classifier.load()`` takes it.

ml5 0.x's featureExtractor saves its ``jointModel``: a Sequential of two parts, MobileNet v1 cut at
``conv_pw_13_relu`` (a functional Model) and the head (a Sequential that starts with
``batch_input_shape [null, 7, 7, 256]``), every weight in one ``model.weights.bin``, and the labels
in ``ml5Specs.mapStringToIndex``. ``load()`` in ml5 feeds pictures straight into that joint model,
so a head alone would not work there: py5ml writes both parts, like ml5.

py5ml reads such files back either whole (an image model, ``image_classifier``) or as just the
head (``joint_head``), for a ``TransferModel`` on ``feature_extractor("MobileNet", version=1)``.

Example::

    document, weight_bytes = ml5_document(backbone_topology, backbone_weights, head, (7, 7, 256), ["cat", "dog"], {})
"""

from __future__ import annotations

import numpy as np

from .._errors import ModelFileError
from ._tfjs_format import KERAS_VERSION, topology_from_sequential


def ml5_document(backbone_topology: dict, backbone_weights: list, head, feature_shape: tuple, labels, metadata: dict):
    """``(model.json document, weight bytes)`` of ml5 0.x's joint model: backbone, then head.

    Args:
        backbone_topology: the backbone as a functional Model topology, ending at its feature layer.
        backbone_weights: ``[(manifest name, float32 array)]`` for the backbone, in any order.
        head: the head, an ``nn.Sequential`` py5ml can save (Flatten / Linear / activations).
        feature_shape: what the head reads: (7, 7, C), or (C,) for pooled features.
        labels: the head's labels (classification) or None (regression).
        metadata: py5ml's metadata, kept under ``userDefinedMetadata.py5ml``.
    """
    head_topology, head_weights = topology_from_sequential(head, tuple(feature_shape))
    head_layers = head_topology["config"]["layers"]
    if len(feature_shape) == 1:  # pooled features: the joint model pools the 7×7 map first
        pool = {"class_name": "GlobalAveragePooling2D", "config": {"name": "head_pooling", "data_format": "channels_last",
                                                                  "trainable": True}}
        head_layers.insert(0, pool)
        pool["config"]["batch_input_shape"] = head_layers[1]["config"].pop("batch_input_shape")[:1] + [7, 7, feature_shape[0]]
    backbone = dict(backbone_topology, config=dict(backbone_topology["config"], name="mobilenet_features"))
    head_part = {"class_name": "Sequential", "config": {"name": "head", "layers": head_layers}}
    topology = {"class_name": "Sequential", "config": {"name": "feature_extractor", "layers": [backbone, head_part]},
                "keras_version": KERAS_VERSION, "backend": "tensor_flow.js"}
    weights = list(backbone_weights) + list(head_weights)
    specs = [{"name": name, "shape": list(array.shape), "dtype": "float32"} for name, array in weights]
    document = {
        "format": "layers-model", "generatedBy": "py5ml (ml5 0.x featureExtractor layout)", "convertedBy": None,
        "modelTopology": topology, "weightsManifest": [{"paths": [], "weights": specs}],
        "ml5Specs": {"mapStringToIndex": list(labels or [])},
        "userDefinedMetadata": {"py5ml": metadata},
    }
    return document, b"".join(np.asarray(array, "<f4").tobytes() for _, array in weights)


def joint_head(topology):
    """The head inside a two-part model, Sequential [backbone, head] (ml5 0.x's joint model, a Teachable
    Machine export), or None for other files."""
    if not isinstance(topology, dict):
        return None
    topology = topology.get("model_config", topology)
    config = topology.get("config")
    layers = config.get("layers") if isinstance(config, dict) else None
    if topology.get("class_name") != "Sequential" or not isinstance(layers, list) or len(layers) != 2:
        return None
    containers = ("Sequential", "Model", "Functional")
    if not all(isinstance(layer, dict) for layer in layers) or layers[0].get("class_name") not in containers:
        return None
    if layers[1].get("class_name") not in containers:
        raise ModelFileError("This ml5 file's second part is not a model, so it holds no head py5ml can use.")
    return layers[1]
