"""The TF.js Layers topology: how a ``torch.nn.Sequential`` and a Keras ``modelTopology`` map.

Think of it as a phrasebook with two columns, torch on one side, Keras (as TF.js writes it) on the
other. ``nn.Linear`` is ``Dense`` (the Keras kernel is the torch weight transposed), an activation
module right after a Linear folds into that Dense's ``activation``, and ``Flatten``, ``Dropout`` and
standalone ``Activation`` layers map one to one. Inputs are channels-last exactly like Keras, so a
``Flatten`` of a (7, 7, 256) feature map gives the same order in both worlds.

This module only translates; it never touches files (``_model_files`` and ``_weights_manifest`` do).

Example:
    >>> import torch
    >>> seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU())
    >>> topology, weights = topology_from_sequential(seq, (3,))
    >>> [layer["class_name"] for layer in topology["config"]["layers"]], [w[0] for w in weights]
    (['Dense'], ['dense_Dense1/kernel', 'dense_Dense1/bias'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .._errors import ModelFileError

KERAS_VERSION = "tfjs-layers 4.22.0"
MAX_LAYERS = 1000
MAX_DIM = 2**31 - 1
MAX_RANK = 8

# Keras activation name -> torch module factory. "linear" means no module at all.
ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "softmax": lambda: nn.Softmax(dim=-1),
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "selu": nn.SELU,
    "softplus": nn.Softplus,
    "softsign": nn.Softsign,
    "relu6": nn.ReLU6,
    "linear": None,
}
_TORCH_ACTIVATIONS = {
    nn.ReLU: "relu", nn.Sigmoid: "sigmoid", nn.Softmax: "softmax", nn.Tanh: "tanh", nn.ELU: "elu",
    nn.SELU: "selu", nn.Softplus: "softplus", nn.Softsign: "softsign", nn.ReLU6: "relu6",
    nn.Identity: "linear",
}
SUPPORTED_TORCH = "nn.Linear, nn.Flatten, nn.Dropout, nn.Identity and the activations " + ", ".join(
    f"nn.{cls.__name__}" for cls in _TORCH_ACTIVATIONS if cls is not nn.Identity
)
SUPPORTED_LAYERS = "InputLayer, Dense, Activation, Flatten, Dropout"


@dataclass
class LayerPlan:
    """One Keras layer, checked and ready to build: its torch modules and the weights it needs."""

    class_name: str
    name: str
    modules: list = field(default_factory=list)
    weights: dict = field(default_factory=dict)  # "kernel"/"bias" -> expected shape


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


# ---------------------------------------------------------------- Keras -> torch (loading)


def sequential_layers(topology) -> list:
    """The list of layer dicts in a Sequential ``modelTopology`` (TF.js or Keras-converter style)."""
    if not isinstance(topology, dict):
        raise ModelFileError("model.json's modelTopology must be an object; this file is not a TF.js Layers model.")
    if isinstance(topology.get("model_config"), dict):  # tensorflowjs_converter wraps it
        topology = topology["model_config"]
    if topology.get("class_name") != "Sequential":
        raise ModelFileError(
            f"py5ml reads Sequential models only, not {str(topology.get('class_name'))[:60]!r}. "
            "Save a tf.sequential() model (ml5's neuralNetwork and featureExtractor heads are Sequential)."
        )
    config = topology.get("config")
    layers = config.get("layers") if isinstance(config, dict) else config  # old Keras: config is the list
    if not isinstance(layers, list) or not layers:
        raise ModelFileError("modelTopology.config.layers must be a non-empty list of layers.")
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(f"This model has {len(layers)} layers; py5ml reads at most {MAX_LAYERS}.")
    return layers


def plan_layers(layers: list):
    """Check every layer and its shapes; return ``(input_shape, output_shape, [LayerPlan])``."""
    input_shape = _input_shape(layers[0])
    shape, plans = input_shape, []
    for index, layer in enumerate(layers):
        if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict):
            raise ModelFileError(f"Layer {index} must be an object with class_name and a config object.")
        plan, shape = _plan_layer(layer, shape, index)
        plans.append(plan)
    return input_shape, shape, plans


def _input_shape(first: dict) -> tuple[int, ...]:
    config = first.get("config") if isinstance(first, dict) else None
    config = config if isinstance(config, dict) else {}
    raw = config.get("batch_input_shape", config.get("batchInputShape"))
    if not isinstance(raw, list) or len(raw) < 2 or raw[0] is not None:
        raise ModelFileError(
            "The first layer needs batch_input_shape like [null, 3] so py5ml knows the input size."
        )
    return check_shape(raw[1:], "batch_input_shape", positive=True)


def check_shape(raw, what: str, positive: bool = False) -> tuple[int, ...]:
    """A list of whole, non-negative (or positive) dims as a tuple; ModelFileError otherwise."""
    if not isinstance(raw, list) or len(raw) > MAX_RANK:
        raise ModelFileError(f"{what} must be a list of at most {MAX_RANK} whole numbers, not {str(raw)[:60]}.")
    low = 1 if positive else 0
    for dim in raw:
        if type(dim) is not int or not low <= dim <= MAX_DIM:
            raise ModelFileError(f"{what} has a bad dimension {str(dim)[:30]}: dims must be whole numbers >= {low}.")
    return tuple(raw)


def _plan_layer(layer: dict, shape: tuple, index: int):
    cls, config = layer.get("class_name"), layer["config"]
    name = config.get("name", f"layer_{index}")
    if not isinstance(name, str):
        raise ModelFileError(f"Layer {index}'s name must be a string.")
    plan = LayerPlan(str(cls), name)
    if cls == "Dense":
        return _plan_dense(plan, config, shape)
    if cls == "Activation":
        plan.modules = _activation_modules(config.get("activation"), name)
    elif cls == "Flatten":
        plan.modules, shape = [nn.Flatten()], (math.prod(shape),)
    elif cls == "Dropout":
        rate = config.get("rate")
        if type(rate) not in (int, float) or not 0 <= rate < 1:
            raise ModelFileError(f"Dropout layer {name!r} needs a rate between 0 and 1, not {str(rate)[:30]}.")
        plan.modules = [nn.Dropout(float(rate))]
    elif cls != "InputLayer" or index != 0:
        raise ModelFileError(
            f"Layer {index} ({str(name)[:60]!r}) is a {str(cls)[:60]!r}, which py5ml cannot read. "
            f"Supported layers: {SUPPORTED_LAYERS}."
        )
    return plan, shape


def _plan_dense(plan: LayerPlan, config: dict, shape: tuple):
    units, use_bias = config.get("units"), config.get("use_bias", True)
    if type(units) is not int or not 1 <= units <= MAX_DIM:
        raise ModelFileError(f"Dense layer {plan.name!r} needs a positive whole number of units, not {str(units)[:30]}.")
    if not isinstance(use_bias, bool):
        raise ModelFileError(f"Dense layer {plan.name!r}: use_bias must be true or false.")
    plan.weights["kernel"] = (shape[-1], units)
    if use_bias:
        plan.weights["bias"] = (units,)
    plan.modules = [nn.Linear(1, 1, bias=use_bias)]  # resized when the weights arrive
    plan.modules += _activation_modules(config.get("activation", "linear"), plan.name)
    return plan, shape[:-1] + (units,)


def _activation_modules(name, layer_name: str) -> list:
    if name is None:
        name = "linear"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ModelFileError(
            f"Layer {layer_name!r} uses activation {str(name)[:40]!r}, which py5ml does not know. "
            f"Known activations: {', '.join(ACTIVATIONS)}."
        )
    factory = ACTIVATIONS[name]
    return [factory()] if factory else []


def build_sequential(plans: list, tensors: dict) -> nn.Sequential:
    """Assemble the torch model; ``tensors`` maps (layer name, "kernel"/"bias") to float32 arrays."""
    modules = []
    for plan in plans:
        if plan.class_name == "Dense":
            _fill_linear(plan.modules[0], tensors[(plan.name, "kernel")], tensors.get((plan.name, "bias")))
        modules += plan.modules
    return nn.Sequential(*modules).eval()


def _fill_linear(linear: nn.Linear, kernel: np.ndarray, bias) -> None:
    linear.in_features, linear.out_features = kernel.shape
    linear.weight = nn.Parameter(torch.from_numpy(np.ascontiguousarray(kernel.T, dtype=np.float32)))
    if bias is not None:
        linear.bias = nn.Parameter(torch.from_numpy(np.ascontiguousarray(bias, dtype=np.float32)))
