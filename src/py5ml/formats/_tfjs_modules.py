"""Torch modules that compute what TF.js layers compute, on channels-last (NHWC) tensors.

TF.js keeps pictures as (batch, height, width, channels); torch's convolutions want channels
second. Each module here takes and returns NHWC, and turns the tensor round only around the
convolution itself: ``permute`` is free (a view), and torch's ``channels_last`` convolutions read
that view without copying. Padding follows TensorFlow: ``"same"`` pads the extra pixel at the
bottom and right, and average pooling does not count the padding.

Modules are built from the weights themselves (never initialised randomly), so building one does
not touch torch's random state.

Example:
    >>> import numpy as np, torch
    >>> kernel = np.ones((3, 3, 1, 2), np.float32)  # Keras layout: (height, width, in, out)
    >>> conv = Conv2d(kernel, None, strides=(2, 2), pads=(0, 1, 0, 1))
    >>> conv(torch.ones(1, 4, 4, 1)).shape
    torch.Size([1, 2, 2, 2])
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def _tensor(array) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


class HardSigmoid(nn.Module):
    """TF.js's hard sigmoid, ``clip(0.2 x + 0.5, 0, 1)`` (torch's uses x / 6)."""

    def forward(self, x):
        return torch.clamp(x * 0.2 + 0.5, 0.0, 1.0)


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
    "hard_sigmoid": HardSigmoid,
    "swish": nn.SiLU,
    "mish": nn.Mish,
    "linear": None,
}


def activation_module(name: str) -> nn.Module:
    factory = ACTIVATIONS[name]
    return factory() if factory else nn.Identity()


class Conv2d(nn.Module):
    """Conv2D / DepthwiseConv2D on NHWC input; ``pads`` = (top, bottom, left, right)."""

    def __init__(self, kernel, bias, *, strides=(1, 1), dilation=(1, 1), pads=(0, 0, 0, 0), groups=1, activation="linear"):
        super().__init__()
        weight = _tensor(kernel).permute(3, 2, 0, 1)  # (h, w, in/groups, out) -> (out, in/groups, h, w)
        self.weight = nn.Parameter(weight.contiguous(memory_format=torch.channels_last), requires_grad=False)
        self.bias = None if bias is None else nn.Parameter(_tensor(bias), requires_grad=False)
        self.strides, self.dilation, self.groups = tuple(strides), tuple(dilation), groups
        top, bottom, left, right = pads
        self.padding = (top, left) if (top, left) == (bottom, right) else (0, 0)
        self.extra = None if (top, left) == (bottom, right) else (left, right, top, bottom)
        self.activation = activation_module(activation)

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.extra is not None:
            x = F.pad(x, self.extra)
        x = F.conv2d(x, self.weight, self.bias, self.strides, self.padding, self.dilation, self.groups)
        return self.activation(x.permute(0, 2, 3, 1))


def depthwise_kernel(kernel: np.ndarray) -> np.ndarray:
    """Keras (h, w, in, multiplier) -> the (h, w, 1, in * multiplier) kernel of a grouped conv."""
    h, w, channels, multiplier = kernel.shape
    return kernel.reshape(h, w, 1, channels * multiplier)


class BatchNorm(nn.Module):
    """Inference batch normalisation over the last axis: ``(x - mean) * gamma / sqrt(var + eps) + beta``."""

    def __init__(self, mean, variance, gamma, beta, epsilon):
        super().__init__()
        scale = 1.0 / np.sqrt(np.asarray(variance, np.float64) + epsilon)
        if gamma is not None:
            scale = scale * gamma
        self.register_buffer("mean", _tensor(mean))
        self.register_buffer("scale", _tensor(scale))
        self.register_buffer("beta", _tensor(np.zeros_like(mean) if beta is None else beta))

    def forward(self, x):
        return torch.addcmul(self.beta, x - self.mean, self.scale)


class ZeroPad2d(nn.Module):
    """ZeroPadding2D on NHWC: ``pads`` = (top, bottom, left, right)."""

    def __init__(self, pads):
        super().__init__()
        top, bottom, left, right = pads
        self.pads = (0, 0, left, right, top, bottom)

    def forward(self, x):
        return F.pad(x, self.pads)


class Pool2d(nn.Module):
    """MaxPooling2D / AveragePooling2D on NHWC with TensorFlow's padding (padding never counts)."""

    def __init__(self, kind, size, strides, pads, divisor=None):
        super().__init__()
        self.kind, self.size, self.strides = kind, tuple(size), tuple(strides)
        top, bottom, left, right = pads
        self.pads = (left, right, top, bottom)
        self.padded = any(pads)
        self.register_buffer("divisor", None if divisor is None else _tensor(divisor)[None, None])

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        if self.kind == "max":
            if self.padded:
                x = F.pad(x, self.pads, value=float("-inf"))
            x = F.max_pool2d(x, self.size, self.strides)
        elif self.padded:
            x = F.avg_pool2d(F.pad(x, self.pads), self.size, self.strides, divisor_override=1) / self.divisor
        else:
            x = F.avg_pool2d(x, self.size, self.strides)
        return x.permute(0, 2, 3, 1)


class GlobalPool(nn.Module):
    """GlobalAveragePooling2D / GlobalMaxPooling2D: one value per channel."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def forward(self, x):
        return x.mean(dim=(1, 2)) if self.kind == "average" else x.amax(dim=(1, 2))


class Reshape(nn.Module):
    """Reshape each example to ``shape`` (no batch dim), in row-major order like TF.js."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


class ClippedReLU(nn.Module):
    """Keras ReLU with ``max_value``: ``min(max(x, 0), max_value)``."""

    def __init__(self, max_value):
        super().__init__()
        self.max_value = float(max_value)

    def forward(self, x):
        return torch.clamp(x, 0.0, self.max_value)


class Merge(nn.Module):
    """Add / Multiply / Concatenate of several tensors."""

    def __init__(self, kind, axis=-1):
        super().__init__()
        self.kind, self.axis = kind, axis

    def forward(self, *xs):
        if self.kind == "concatenate":
            return torch.cat(xs, dim=self.axis)
        out = xs[0]
        for x in xs[1:]:
            out = out + x if self.kind == "add" else out * x
        return out


class Graph(nn.Module):
    """Runs the layers of a functional model in order, each on the outputs of the layers it names.

    ``wiring[i]`` lists the positions (0 is the model's input) that layer ``i`` reads; a value is
    dropped as soon as no later layer needs it, so memory stays at a few feature maps.
    """

    def __init__(self, layers, wiring, output):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.wiring = [tuple(inputs) for inputs in wiring]
        self.output = output
        last_use = {}
        for step, inputs in enumerate(self.wiring, start=1):
            for position in inputs:
                last_use[position] = step
        last_use[output] = len(self.wiring) + 1
        self.drop_after = [[p for p in set(inputs) if last_use[p] == step] for step, inputs in enumerate(self.wiring, 1)]

    def forward(self, x):
        values = {0: x}
        for step, (layer, inputs) in enumerate(zip(self.layers, self.wiring), start=1):
            values[step] = layer(*[values[p] for p in inputs])
            for position in self.drop_after[step - 1]:
                del values[position]
        return values[self.output]
