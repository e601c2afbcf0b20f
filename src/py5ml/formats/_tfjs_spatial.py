"""The spatial layers of a TF.js file: convolutions, padding and pooling over (height, width, channels).

Each planner checks its config, works out the output size the way TensorFlow does, and names the
weights it needs. ``"same"`` padding keeps ``ceil(size / stride)`` pixels and, when the padding is
odd, puts the extra pixel at the bottom and right; ``"valid"`` uses only whole windows.

Example:
    >>> from py5ml.formats._tfjs_topology import Node
    >>> node = Node("dw", "DepthwiseConv2D", {"kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "use_bias": False})
    >>> plan = SPATIAL["DepthwiseConv2D"](node, (224, 224, 8))
    >>> plan.shape, plan.weights
    ((112, 112, 8), {'depthwise_kernel': (3, 3, 8, 1)})
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from .._checks import quote
from . import _tfjs_config as conf
from . import _tfjs_modules as tm
from ._tfjs_config import layer_error
from ._tfjs_layers import LayerPlan, _activation


def _image(node, shape) -> tuple:
    if len(shape) != 3:
        raise layer_error(node, f"it needs (height, width, channels) input, not {list(shape)}.")
    conf.channels_last(node)
    return shape


def window(node, shape, kernel, strides, dilation, padding):
    """Output (height, width) and the (top, bottom, left, right) padding, TensorFlow's way."""
    if max(strides) > 1 and max(dilation) > 1:
        raise layer_error(node, "strides and dilation_rate cannot both be more than 1.")
    out, pads = [], []
    for size, k, s, d in zip(shape[:2], kernel, strides, dilation):
        span = d * (k - 1) + 1
        if padding == "valid":
            if size < span:
                raise layer_error(node, f"its {span}-pixel window does not fit its {list(shape)} input.")
            out.append((size - span) // s + 1)
            pads += [0, 0]
        else:
            out.append(math.ceil(size / s))
            total = max((out[-1] - 1) * s + span - size, 0)
            pads += [total // 2, total - total // 2]
    return tuple(out), tuple(pads)


def _conv_settings(node, shape):
    kernel = conf.pair(node, "kernel_size")
    strides, dilation = conf.pair(node, "strides", (1, 1)), conf.pair(node, "dilation_rate", (1, 1))
    padding = conf.choice(node, "padding", ("valid", "same"), "valid")
    out, pads = window(node, shape, kernel, strides, dilation, padding)
    return kernel, dict(strides=strides, dilation=dilation, pads=pads), out


def _conv2d(node, shape):
    _image(node, shape)
    if node.config.get("groups", 1) != 1:
        raise layer_error(node, "grouped convolutions (groups > 1) are not part of TF.js; groups must be 1.")
    filters = conf.integer(node, "filters", high=2**20)
    kernel, settings, out = _conv_settings(node, shape)
    use_bias, activation = conf.boolean(node, "use_bias", True), _activation(node)
    weights = {"kernel": kernel + (shape[2], filters), **({"bias": (filters,)} if use_bias else {})}
    build = lambda w: tm.Conv2d(w["kernel"], w.get("bias"), activation=activation, **settings)  # noqa: E731
    return LayerPlan(out + (filters,), weights, build)


def _depthwise(node, shape):
    _image(node, shape)
    multiplier = conf.integer(node, "depth_multiplier", 1, high=4096)
    kernel, settings, out = _conv_settings(node, shape)
    use_bias, activation = conf.boolean(node, "use_bias", True), _activation(node)
    channels = shape[2] * multiplier
    weights = {"depthwise_kernel": kernel + (shape[2], multiplier), **({"bias": (channels,)} if use_bias else {})}

    def build(w):
        kernel_hw1c = tm.depthwise_kernel(w["depthwise_kernel"])
        return tm.Conv2d(kernel_hw1c, w.get("bias"), groups=shape[2], activation=activation, **settings)

    return LayerPlan(out + (channels,), weights, build)


def _separable(node, shape):
    _image(node, shape)
    filters = conf.integer(node, "filters", high=2**20)
    multiplier = conf.integer(node, "depth_multiplier", 1, high=4096)
    kernel, settings, out = _conv_settings(node, shape)
    use_bias, activation = conf.boolean(node, "use_bias", True), _activation(node)
    middle = shape[2] * multiplier
    weights = {"depthwise_kernel": kernel + (shape[2], multiplier), "pointwise_kernel": (1, 1, middle, filters),
               **({"bias": (filters,)} if use_bias else {})}

    def build(w):
        depthwise = tm.Conv2d(tm.depthwise_kernel(w["depthwise_kernel"]), None, groups=shape[2], **settings)
        return nn.Sequential(depthwise, tm.Conv2d(w["pointwise_kernel"], w.get("bias"), activation=activation))

    return LayerPlan(out + (filters,), weights, build)


def _zero_padding(node, shape):
    _image(node, shape)
    pads = _padding_amounts(node)
    out = (shape[0] + pads[0] + pads[1], shape[1] + pads[2] + pads[3], shape[2])
    return LayerPlan(out, {}, lambda w: tm.ZeroPad2d(pads))


def _padding_amounts(node) -> tuple:
    """Keras writes 1, [1, 2] (per axis) or [[top, bottom], [left, right]]."""
    raw = node.config.get("padding", 1)
    if type(raw) is int:
        raw = [raw, raw]
    if isinstance(raw, list) and len(raw) == 2 and all(type(v) is int for v in raw):
        raw = [[raw[0], raw[0]], [raw[1], raw[1]]]
    ok = isinstance(raw, list) and len(raw) == 2 and all(isinstance(p, list) and len(p) == 2 for p in raw)
    flat = [v for p in raw for v in p] if ok else []
    if not ok or not all(type(v) is int and 0 <= v <= conf.MAX_WINDOW for v in flat):
        raise layer_error(node, f"padding must be like [[0, 1], [0, 1]], not {quote(raw)}.")
    return tuple(flat)


def _pooling(node, shape):
    _image(node, shape)
    kind = "max" if node.class_name == "MaxPooling2D" else "average"
    size = conf.pair(node, "pool_size", (2, 2))
    strides = size if node.config.get("strides") is None else conf.pair(node, "strides")
    padding = conf.choice(node, "padding", ("valid", "same"), "valid")
    out, pads = window(node, shape, size, strides, (1, 1), padding)

    def build(w):
        divisor = _valid_counts(shape, size, strides, pads) if kind == "average" and any(pads) else None
        return tm.Pool2d(kind, size, strides, pads, divisor)

    return LayerPlan(out + (shape[2],), {}, build)


def _valid_counts(shape, size, strides, pads):
    """How many real (unpadded) pixels each pooling window covers, for TF's average pooling."""
    top, bottom, left, right = pads
    ones = F.pad(torch.ones(1, 1, shape[0], shape[1]), (left, right, top, bottom))
    return F.avg_pool2d(ones, size, strides, divisor_override=1)[0, 0].numpy()


def _global_pooling(node, shape):
    _image(node, shape)
    if node.config.get("keepdims", False) is not False:
        raise layer_error(node, "keepdims must be false (TF.js has no keepdims).")
    kind = "max" if node.class_name == "GlobalMaxPooling2D" else "average"
    return LayerPlan((shape[2],), {}, lambda w: tm.GlobalPool(kind))


SPATIAL = {
    "Conv2D": _conv2d, "DepthwiseConv2D": _depthwise, "SeparableConv2D": _separable, "ZeroPadding2D": _zero_padding,
    "MaxPooling2D": _pooling, "AveragePooling2D": _pooling,
    "GlobalAveragePooling2D": _global_pooling, "GlobalMaxPooling2D": _global_pooling,
}
