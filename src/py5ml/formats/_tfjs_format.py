"""Saving a ``torch.nn.Sequential`` as a TF.js Layers ``modelTopology`` (loading: ``_tfjs_model``).

Think of it as a phrasebook with two columns, torch on one side, Keras (as TF.js writes it) on the
other. ``nn.Linear`` is ``Dense`` (the Keras kernel is the torch weight transposed), an activation
module right after a Linear folds into that Dense's ``activation``, and ``Flatten``, ``Dropout`` and
standalone ``Activation`` layers map one to one. Inputs are channels-last exactly like Keras, so a
``Flatten`` of a (7, 7, 256) feature map gives the same order in both worlds.

This module only translates; it never touches files (``_model_files`` and ``_atomic_files`` do).

Example:
    >>> import torch
    >>> seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
    >>> topology, weights = topology_from_sequential(seq, (3,))
    >>> [layer["class_name"] for layer in topology["config"]["layers"]], [w[0] for w in weights]
    (['Dense'], ['dense_Dense1/kernel', 'dense_Dense1/bias'])
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .._errors import ModelFileError

KERAS_VERSION = "tfjs-layers 4.22.0"

_TORCH_ACTIVATIONS = {
    nn.ReLU: "relu", nn.Sigmoid: "sigmoid", nn.Softmax: "softmax", nn.Tanh: "tanh", nn.ELU: "elu",
    nn.SELU: "selu", nn.Softplus: "softplus", nn.Softsign: "softsign", nn.ReLU6: "relu6",
    nn.Identity: "linear",
}
SUPPORTED_TORCH = "nn.Linear, nn.Flatten, nn.Dropout, nn.Identity and the activations " + ", ".join(
    f"nn.{cls.__name__}" for cls in _TORCH_ACTIVATIONS if cls is not nn.Identity
)


# ---------------------------------------------------------------- torch -> Keras (saving)


def topology_from_sequential(seq: nn.Sequential, input_shape: tuple[int, ...]):
    """Describe ``seq`` as a Keras ``modelTopology`` plus ``[(weight name, float32 array)]``.

    Raises:
        ModelFileError: for a module that has no TF.js Layers equivalent.
    """
    layers, weights, counts = [], [], {}
    modules = list(seq.children())
    i = 0
    while i < len(modules):
        layer, used = _keras_layer(modules, i, counts, weights)
        layers.append(layer)
        i += used
    if not layers:
        layers.append(_named({"class_name": "Activation", "config": {"activation": "linear"}}, counts))
    layers[0]["config"]["batch_input_shape"] = [None, *input_shape]
    layers[0]["config"]["dtype"] = "float32"
    topology = {
        "class_name": "Sequential",
        "config": {"name": "sequential_1", "layers": layers},
        "keras_version": KERAS_VERSION,
        "backend": "tensor_flow.js",
    }
    return topology, weights


def _named(layer, counts):
    cls = layer["class_name"]
    counts[cls] = counts.get(cls, 0) + 1
    layer["config"]["name"] = f"{cls.lower()}_{cls}{counts[cls]}"
    layer["config"]["trainable"] = True
    return layer


def _keras_layer(modules, i, counts, weights):
    """Translate modules[i] (and a following activation, for Linear); return (layer, modules used)."""
    module = modules[i]
    if isinstance(module, nn.Linear):
        nxt = modules[i + 1] if i + 1 < len(modules) else None
        activation = _activation_name(nxt) if nxt is not None and _is_activation(nxt) else None
        layer = _named(_dense_config(module, activation or "linear"), counts)
        name = layer["config"]["name"]
        weights.append((f"{name}/kernel", _array(module.weight).T.copy()))
        if module.bias is not None:
            weights.append((f"{name}/bias", _array(module.bias)))
        return layer, 2 if activation else 1
    if _is_activation(module):
        config = {"activation": _activation_name(module)}
        return _named({"class_name": "Activation", "config": config}, counts), 1
    if isinstance(module, nn.Flatten):
        if module.start_dim != 1 or module.end_dim != -1:
            raise ModelFileError("Only nn.Flatten() with its default dims (1, -1) can be saved for TF.js.")
        return _named({"class_name": "Flatten", "config": {}}, counts), 1
    if isinstance(module, nn.Dropout):
        config = {"rate": float(module.p), "noise_shape": None, "seed": None}
        return _named({"class_name": "Dropout", "config": config}, counts), 1
    raise ModelFileError(
        f"py5ml cannot save {type(module).__name__} in a TF.js model file. "
        f"Supported modules: {SUPPORTED_TORCH}. Rebuild the model from those."
    )


def _dense_config(linear: nn.Linear, activation: str) -> dict:
    init = {"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": None}}
    return {"class_name": "Dense", "config": {
        "units": linear.out_features, "activation": activation, "use_bias": linear.bias is not None,
        "kernel_initializer": init, "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None,
    }}


def _is_activation(module) -> bool:
    return type(module) in _TORCH_ACTIVATIONS


def _activation_name(module) -> str:
    if isinstance(module, nn.Softmax) and module.dim not in (-1, 1, None):
        raise ModelFileError(f"nn.Softmax(dim={module.dim}) has no TF.js equivalent: use nn.Softmax(dim=-1).")
    if isinstance(module, nn.ELU) and module.alpha != 1.0:
        raise ModelFileError(f"nn.ELU(alpha={module.alpha}) has no TF.js equivalent: use nn.ELU() (alpha 1).")
    return _TORCH_ACTIVATIONS[type(module)]


def _array(param) -> np.ndarray:
    return param.detach().to("cpu", torch.float32).numpy().astype("<f4")
