"""Turning whatever a sketch hands us into one kind of picture: an (H, W, 3) uint8 RGB array.

Accepted: a ``Capture`` (its newest frame), py5 images, graphics and the sketch itself (through
``np_pixels``, which py5 stores as ARGB), PIL images, and numpy arrays (gray, RGB or RGBA, uint8 or
floats in 0..1). The result is a fresh array, so later drawing cannot change an example.

Pictures larger than ``MAX_SIDE`` pixels on a side are shrunk first, by averaging blocks of pixels a
band of rows at a time, so a 10000×10000 photo never becomes a 1.2 GB float array (the backbones
read 224×224 anyway). Float pictures with NaN or infinite pixels are refused: casting NaN to uint8
gives 0, and one bad pixel could silently turn the whole picture black.
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import quote
from .._errors import DataError

__all__ = ["to_rgb_array", "MAX_SIDE"]

MAX_SIDE = 2048  # larger pictures are shrunk (by whole factors) before anything else
_BAND_BYTES = 32 * 2**20  # float32 working memory for one band of rows while shrinking


def to_rgb_array(image):
    """Copy ``image`` into a new (H, W, 3) uint8 RGB numpy array.

    Raises:
        DataError: something that is not a picture, or a picture of an odd shape.
    """
    if hasattr(image, "read") and hasattr(image, "draw") and hasattr(image, "description"):
        return image.read().copy()  # a Capture: its frame is never written again, but be safe
    if hasattr(image, "load_np_pixels"):
        image.load_np_pixels()
        return _from_numpy(image.np_pixels[..., 1:4])  # ARGB -> RGB (a copy)
    if hasattr(image, "convert") and hasattr(image, "mode"):  # PIL
        factor = _factor(image.size)
        return np.array((image.reduce(factor) if factor > 1 else image).convert("RGB"), dtype=np.uint8)
    if isinstance(image, np.ndarray):
        return _from_numpy(image)
    raise DataError(
        f"Cannot read a picture from {type(image).__name__}. Give a Capture, a py5 image, "
        "a PIL image or a numpy array (height, width, 3)."
    )


def _from_numpy(array):
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4) or 0 in array.shape:
        raise DataError(f"A picture array should be (height, width, 3), got shape {quote(array.shape)}.")
    if array.dtype.kind not in "buif":
        raise DataError(f"A picture array must hold numbers (uint8 0..255 or floats 0..1), not {array.dtype}.")
    is_float = array.dtype.kind == "f"
    factor = _factor(array.shape[1::-1])
    if factor > 1:
        array = _shrink(array, factor)
    if is_float:
        _check_finite(array)
    if array.dtype != np.uint8:
        scale = 255.0 if is_float and array.max(initial=0) <= 1.0 else 1.0
        array = np.clip(array * scale, 0, 255).astype(np.uint8)
    if array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    return np.array(array[..., :3], dtype=np.uint8, order="C")


def _factor(size) -> int:
    """The whole factor that brings a (width, height) within ``MAX_SIDE``; 1 when it fits."""
    return max(1, math.ceil(max(size) / MAX_SIDE))


def _shrink(array, factor):
    """Average ``factor``×``factor`` blocks, a band of rows at a time (memory stays bounded)."""
    height, width = array.shape[0] // factor, array.shape[1] // factor
    as_pil = array.dtype == np.uint8 and array.shape[2] in (1, 3)  # PIL's reduce: the same average, in C
    out = np.empty((height, width, array.shape[2]), np.uint8 if as_pil else np.float32)
    rows = max(1, _BAND_BYTES // (4 * factor * factor * width * array.shape[2]))
    for top in range(0, height, rows):
        bottom = min(height, top + rows)
        band = array[top * factor:bottom * factor, :width * factor]
        out[top:bottom] = _pil_reduce(band, factor) if as_pil else (
            band.astype(np.float32).reshape(bottom - top, factor, width, factor, -1).mean(axis=(1, 3)))
    return out


def _pil_reduce(band, factor):
    from PIL import Image

    small = np.asarray(Image.fromarray(np.ascontiguousarray(band[..., 0] if band.shape[2] == 1 else band)).reduce(factor))
    return small.reshape(*small.shape[:2], band.shape[2])


def _check_finite(array):
    bad = ~np.isfinite(array)
    if bad.any():
        y, x = np.argwhere(bad)[0][:2]
        raise DataError(
            f"The picture has {int(bad.any(axis=2).sum()):,} NaN or infinite pixels (the first at x={x}, y={y}); "
            "py5ml will not guess their color. Fix the image, e.g. np.nan_to_num(image), before adding it."
        )
