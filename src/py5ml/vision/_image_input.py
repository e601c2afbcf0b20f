"""Turning whatever a sketch hands us into one kind of picture: an (H, W, 3) uint8 RGB array.

Accepted: a ``Capture`` (its newest frame), py5 images, graphics and the sketch itself (through
``np_pixels``, which py5 stores as ARGB), PIL images, and numpy arrays (gray, RGB or RGBA, uint8 or
floats in 0..1). The result is a fresh array, so later drawing cannot change an example.
"""

from __future__ import annotations

import numpy as np

from .._errors import DataError

__all__ = ["to_rgb_array"]


def to_rgb_array(image):
    """Copy ``image`` into a new (H, W, 3) uint8 RGB numpy array.

    Raises:
        DataError: something that is not a picture, or a picture of an odd shape.
    """
    if hasattr(image, "read") and hasattr(image, "draw") and hasattr(image, "description"):
        return image.read().copy()  # a Capture: its frame is never written again, but be safe
    if hasattr(image, "load_np_pixels"):
        image.load_np_pixels()
        return np.ascontiguousarray(image.np_pixels[..., 1:4])  # ARGB -> RGB (a copy)
    if hasattr(image, "convert") and hasattr(image, "mode"):  # PIL
        return np.array(image.convert("RGB"), dtype=np.uint8)
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
        raise DataError(f"A picture array should be (height, width, 3), got shape {array.shape}.")
    if array.dtype != np.uint8:
        scale = 255.0 if np.issubdtype(array.dtype, np.floating) and array.max(initial=0) <= 1.0 else 1.0
        array = np.clip(array * scale, 0, 255).astype(np.uint8)
    if array.shape[2] == 1:
        array = np.repeat(array, 3, axis=2)
    return np.array(array[..., :3], dtype=np.uint8, order="C")
