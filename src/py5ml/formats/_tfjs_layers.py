"""The layers py5ml reads from TF.js files: each one checked, its output shape worked out, its weights named.

``plan_layer(node, input_shapes)`` looks at one layer of a flattened topology and returns a
``LayerPlan``: the output shape, the weights the layer needs (kind -> shape, e.g. ``"kernel"``),
and a ``build(weights)`` that makes its torch module once the weights are read. Planning is pure
checking, so a bad file is refused before a single weight byte is read. The spatial layers
(convolutions, padding, pooling) live in ``_tfjs_spatial``.

Example:
    >>> from py5ml.formats._tfjs_topology import Node
    >>> plan = plan_layer(Node("d", "Dense", {"units": 4, "activation": "relu"}), [(7, 7, 256)])
    >>> plan.shape, plan.weights
    ((7, 7, 4), {'kernel': (256, 4), 'bias': (4,)})
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn

from .._checks import quote
from .._errors import ModelFileError
from . import _tfjs_config as conf
from . import _tfjs_modules as tm
from ._tfjs_config import layer_error

SUPPORTED = (
    "InputLayer, Dense, Conv2D, DepthwiseConv2D, SeparableConv2D, BatchNormalization, ReLU, Activation, "
    "Add, Concatenate, Multiply, ZeroPadding2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, "
    "GlobalMaxPooling2D, Flatten, Reshape, Dropout, Softmax"
)


@dataclass
class LayerPlan:
    """One checked layer: its output shape, the weights it needs, and how to build its module."""

    shape: tuple
    weights: dict = field(default_factory=dict)  # kind ("kernel", "gamma", ...) -> shape
    build: Callable = None  # build(arrays: kind -> np.ndarray) -> nn.Module


def plan_layer(node, input_shapes: list) -> LayerPlan:
    """Check one layer against the shapes flowing into it; ModelFileError names what is wrong."""
    from ._tfjs_spatial import SPATIAL

    planner = _CORE.get(node.class_name) or SPATIAL.get(node.class_name)
    if planner is None:
        raise _unsupported(node)
    if node.class_name not in _MERGES and len(input_shapes) != 1:
        raise layer_error(node, f"it takes one input, but the file gives it {len(input_shapes)}.")
    plan = planner(node, input_shapes if node.class_name in _MERGES else input_shapes[0])
    plan.shape = conf.check_size(node, plan.shape)
    return plan


def _unsupported(node) -> ModelFileError:
    return layer_error(
        node, f"py5ml cannot read {quote(node.class_name)} layers. Supported layers: {SUPPORTED}. "
        "Rebuild the model from those, or ask for the layer on py5ml's issue tracker.",
    )


def input_shape(node) -> tuple:
    """The shape (without the batch dim) an InputLayer or a first layer declares."""
    config = node.config
    raw = config.get("batch_input_shape", config.get("batchInputShape", config.get("batch_shape")))
    if not isinstance(raw, list) or len(raw) < 2 or raw[0] is not None:
        raise ModelFileError("The first layer needs batch_input_shape like [null, 3] so py5ml knows the input size.")
    shape = tuple(raw[1:])
    if len(shape) > 8 or not all(type(dim) is int and 1 <= dim <= conf.MAX_DIM for dim in shape):
        raise layer_error(node, f"batch_input_shape has a bad dimension in {quote(raw)}: dims must be whole numbers >= 1.")
    return conf.check_size(node, shape, "the model's input")


def _activation(node, key: str = "activation") -> str:
    name = node.config.get(key, "linear")
    name = "linear" if name is None else name
    if not isinstance(name, str) or name not in tm.ACTIVATIONS:
        raise layer_error(node, f"activation {quote(name)} is not one py5ml knows. Known activations: {', '.join(tm.ACTIVATIONS)}.")
    return name


def _dense(node, shape):
    units = conf.integer(node, "units")
    use_bias = conf.boolean(node, "use_bias", True)
    activation = _activation(node)
    weights = {"kernel": (shape[-1], units), **({"bias": (units,)} if use_bias else {})}
    return LayerPlan(shape[:-1] + (units,), weights, lambda w: dense_modules(w, activation))


def dense_modules(arrays: dict, activation: str) -> nn.Module:
    """An ``nn.Linear`` (plus its activation) built straight from the Keras kernel, without random init."""
    kernel = arrays["kernel"]
    linear = torch.nn.utils.skip_init(nn.Linear, kernel.shape[0], kernel.shape[1], bias="bias" in arrays)
    with torch.no_grad():
        linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel.T, dtype=np.float32)))
        if "bias" in arrays:
            linear.bias.copy_(torch.from_numpy(np.ascontiguousarray(arrays["bias"], dtype=np.float32)))
    return linear if activation == "linear" else nn.Sequential(linear, tm.activation_module(activation))


def _activation_layer(node, shape):
    name = _activation(node)
    return LayerPlan(shape, {}, lambda w: tm.activation_module(name))


def _relu(node, shape):
    max_value = conf.number(node, "max_value", None, low=0)
    for key in ("negative_slope", "threshold"):
        if conf.number(node, key, 0.0) != 0:
            raise layer_error(node, f"{key} must be 0; TF.js's ReLU has no {key}, so py5ml refuses it too.")
    return LayerPlan(shape, {}, lambda w: nn.ReLU() if max_value is None else tm.ClippedReLU(max_value))


def _softmax(node, shape):
    if conf.axis(node, "axis", len(shape) + 1) != len(shape):
        raise layer_error(node, "TF.js computes softmax over the last axis only, so axis must be -1.")
    return LayerPlan(shape, {}, lambda w: nn.Softmax(dim=-1))


def _flatten(node, shape):
    return LayerPlan((math.prod(shape),), {}, lambda w: nn.Flatten())


def _reshape(node, shape):
    target = node.config.get("target_shape", node.config.get("targetShape"))
    if not isinstance(target, list) or not target or len(target) > 8 or not all(type(d) is int for d in target):
        raise layer_error(node, f"target_shape must be a list of whole numbers, not {quote(target)}.")
    size, known = math.prod(shape), math.prod(d for d in target if d != -1)
    if target.count(-1) > 1 or any(d < 1 and d != -1 for d in target) or known == 0 or size % known:
        raise layer_error(node, f"cannot reshape {list(shape)} to {target}.")
    out = tuple(size // known if d == -1 else d for d in target)
    if math.prod(out) != size:
        raise layer_error(node, f"cannot reshape {list(shape)} ({size:,} values) to {target}.")
    return LayerPlan(out, {}, lambda w: tm.Reshape(out))


def _dropout(node, shape):
    conf.number(node, "rate", low=0, high=1)
    return LayerPlan(shape, {}, lambda w: nn.Identity())


def _batch_norm(node, shape):
    if conf.axis(node, "axis", len(shape) + 1) != len(shape):
        raise layer_error(node, "py5ml normalises the last (channels) axis only; axis must be -1.")
    epsilon = conf.number(node, "epsilon", 1e-3, low=0, high=1)
    center, scale = conf.boolean(node, "center", True), conf.boolean(node, "scale", True)
    kinds = [k for k, on in (("gamma", scale), ("beta", center), ("moving_mean", True), ("moving_variance", True)) if on]
    weights = {kind: (shape[-1],) for kind in kinds}

    def build(w):
        return tm.BatchNorm(w["moving_mean"], w["moving_variance"], w.get("gamma"), w.get("beta"), epsilon)

    return LayerPlan(shape, weights, build)


def _merge(node, shapes):
    kind = {"Add": "add", "Multiply": "multiply", "Concatenate": "concatenate"}[node.class_name]
    if len(shapes) < 2:
        raise layer_error(node, f"it needs at least two inputs, not {len(shapes)}.")
    if kind != "concatenate":
        if len(set(shapes)) != 1:
            raise layer_error(node, f"its inputs must have the same shape, not {quote([list(s) for s in shapes])}.")
        return LayerPlan(shapes[0], {}, lambda w: tm.Merge(kind))
    rank = len(shapes[0]) + 1
    dim = conf.axis(node, "axis", rank)
    rest = {s[: dim - 1] + s[dim:] for s in shapes}
    if len({len(s) for s in shapes}) != 1 or len(rest) != 1:
        raise layer_error(node, f"its inputs {quote([list(s) for s in shapes])} differ outside axis {dim}.")
    out = shapes[0][: dim - 1] + (sum(s[dim - 1] for s in shapes),) + shapes[0][dim:]
    return LayerPlan(out, {}, lambda w: tm.Merge(kind, dim))


def _input_layer(node, shape):
    raise layer_error(node, "an InputLayer can only start a model.")


_MERGES = {"Add", "Multiply", "Concatenate"}
_CORE = {
    "Dense": _dense, "Activation": _activation_layer, "ReLU": _relu, "Softmax": _softmax, "Flatten": _flatten,
    "Reshape": _reshape, "Dropout": _dropout, "BatchNormalization": _batch_norm, "InputLayer": _input_layer,
    "Add": _merge, "Multiply": _merge, "Concatenate": _merge,
}
