"""Reading one layer's config from a model file: every value checked, every problem named.

A layer's config is untrusted JSON. These helpers read one field each and either return a clean
Python value or raise a ``ModelFileError`` that names the layer, the field and what was found::

    Layer 'Conv1' (Conv2D): strides must be a whole number or a pair of them (1 to 4096), not 'two'.

Example:
    >>> from py5ml.formats._tfjs_topology import Node
    >>> node = Node("c", "Conv2D", {"kernel_size": [3, 3], "padding": "same"})
    >>> pair(node, "kernel_size"), choice(node, "padding", ("valid", "same"), "valid"), pair(node, "strides", (1, 1))
    ((3, 3), 'same', (1, 1))
"""

from __future__ import annotations

import math

from .._checks import quote
from .._errors import ModelFileError

MAX_DIM = 2**31 - 1
MAX_VALUES = 2**26  # values in one example's tensor (67 million: a 4096×4096 RGB picture is 50)
MAX_WINDOW = 4096  # kernel sizes, strides, dilations, paddings
_MISSING = object()


def layer_error(node, text: str) -> ModelFileError:
    """A ModelFileError that starts with the layer's name and class."""
    return ModelFileError(f"Layer {quote(node.name)} ({node.class_name}): {text}")


def _get(node, key, default):
    value = node.config.get(key, default)
    if value is _MISSING:
        raise layer_error(node, f"its config needs {quote(key)}.")
    return value


def integer(node, key: str, default=_MISSING, low: int = 1, high: int = MAX_DIM) -> int:
    """A whole number in [low, high]."""
    value = _get(node, key, default)
    if type(value) is not int or not low <= value <= high:
        raise layer_error(node, f"{key} must be a whole number from {low} to {high:,}, not {quote(value)}.")
    return value


def pair(node, key: str, default=_MISSING, low: int = 1, high: int = MAX_WINDOW) -> tuple:
    """A whole number or a list of two (Keras writes ``3`` or ``[3, 3]``), as a 2-tuple."""
    value = _get(node, key, default)
    if type(value) is int:
        value = [value, value]
    if not isinstance(value, (list, tuple)) or len(value) != 2 or not all(type(v) is int and low <= v <= high for v in value):
        raise layer_error(node, f"{key} must be a whole number or a pair of them ({low} to {high}), not {quote(value)}.")
    return tuple(value)


def number(node, key: str, default=_MISSING, low: float = -math.inf, high: float = math.inf):
    """A finite number in [low, high], or None when the file says null and None is the default."""
    value = _get(node, key, default)
    if value is None and default is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or not low <= value <= high:
        raise layer_error(node, f"{key} must be a number from {low} to {high}, not {quote(value)}.")
    return float(value)


def boolean(node, key: str, default=_MISSING) -> bool:
    value = _get(node, key, default)
    if not isinstance(value, bool):
        raise layer_error(node, f"{key} must be true or false, not {quote(value)}.")
    return value


def choice(node, key: str, choices, default=_MISSING) -> str:
    value = _get(node, key, default)
    if not isinstance(value, str) or value not in choices:
        raise layer_error(node, f"{key} must be one of {', '.join(map(repr, choices))}, not {quote(value)}.")
    return value


def channels_last(node) -> None:
    """py5ml computes channels-last (NHWC), like TF.js in the browser."""
    choice(node, "data_format", ("channels_last",), "channels_last")


def axis(node, key: str, rank: int, default: int = -1) -> int:
    """A tensor axis counted with the batch axis, as Keras does (-1 is the last); never the batch."""
    value = _get(node, key, default)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if type(value) is not int or not -rank <= value < rank or value % rank == 0:
        raise layer_error(node, f"{key} must be a feature axis from 1 to {rank - 1} (or -1), not {quote(value)}.")
    return value % rank


def check_size(node, shape: tuple, what: str = "its output") -> tuple:
    """A layer's output shape: every dim at least 1, and not more values than a sketch can hold."""
    if not shape or any(type(dim) is not int or dim < 1 for dim in shape):
        raise layer_error(node, f"{what} shape would be {list(shape)}; the input is too small for it.")
    values = math.prod(shape)
    if values > MAX_VALUES:
        raise layer_error(
            node, f"{what} has shape {list(shape)}, {values:,} values per example; py5ml reads models "
            f"with at most {MAX_VALUES:,} (a 4096×4096 RGB picture has 50 million). "
            "The file is damaged or not meant for a sketch.",
        )
    return tuple(shape)


def check_shape(raw, what: str, positive: bool = False) -> tuple:
    """A list of at most 8 whole, non-negative (or positive) dims as a tuple; ModelFileError otherwise."""
    if not isinstance(raw, list) or len(raw) > 8:
        raise ModelFileError(f"{what} must be a list of at most 8 whole numbers, not {quote(raw)}.")
    low = 1 if positive else 0
    for dim in raw:
        if type(dim) is not int or not low <= dim <= MAX_DIM:
            raise ModelFileError(f"{what} has a bad dimension {quote(dim, 30)}: dims must be whole numbers >= {low}.")
    return tuple(raw)
