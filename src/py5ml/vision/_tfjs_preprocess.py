"""Preparing a picture the way ml5 0.x and Teachable Machine do, for models made in TF.js.

A model only sees pictures the way it was trained to see them, so each maker's recipe is kept:

- ``"ml5"`` (ml5 0.x's featureExtractor and imageClassifier): squash the picture to 224×224 with
  TF.js's ``resizeBilinear`` (corner-aligned sampling, no smoothing), then ``x / 127 - 1``.
- ``"teachable_machine"``: cut the centre square, resize it to the model's size (smoothly, like
  the browser's canvas), then ``x / 127 - 1``.

Both give float32 channels-last arrays, (height, width, 3), values in about [-1, 1].

Example:
    >>> import numpy as np
    >>> picture = np.full((300, 400, 3), 127, np.uint8)
    >>> prepare(picture, "teachable_machine", 224).shape, float(prepare(picture, "ml5", 224)[0, 0, 0])
    ((224, 224, 3), 0.0)
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

RECIPES = ("ml5", "teachable_machine")


def prepare(rgb: np.ndarray, recipe: str, size: int) -> np.ndarray:
    """One (H, W, 3) uint8 RGB picture -> the (size, size, 3) float32 input the model expects."""
    if recipe == "ml5":
        pixels = resize_bilinear_tfjs(rgb, size, size)
    else:
        pixels = _smooth_resize(_centre_square(rgb), size)
    return (pixels / np.float32(127.0) - np.float32(1.0)).astype(np.float32)


def resize_bilinear_tfjs(rgb: np.ndarray, height: int, width: int) -> np.ndarray:
    """TF.js's ``tf.image.resizeBilinear(image, [height, width])`` (alignCorners and halfPixelCenters false).

    Output pixel ``(r, c)`` samples the source at ``(r * H / height, c * W / width)``, blending the
    four pixels around it; float64 arithmetic, like JavaScript's.
    """
    image = np.asarray(rgb, dtype=np.float64)
    rows, row_frac = _samples(image.shape[0], height)
    cols, col_frac = _samples(image.shape[1], width)
    top, bottom = image[rows[0]], image[rows[1]]
    col_frac = col_frac[None, :, None]
    top = top[:, cols[0]] + (top[:, cols[1]] - top[:, cols[0]]) * col_frac
    bottom = bottom[:, cols[0]] + (bottom[:, cols[1]] - bottom[:, cols[0]]) * col_frac
    return (top + (bottom - top) * row_frac[:, None, None]).astype(np.float32)


def _samples(old: int, new: int):
    where = np.arange(new, dtype=np.float64) * (old / new)
    low = np.floor(where).astype(np.int64)
    high = np.minimum(old - 1, np.ceil(where).astype(np.int64))
    return (low, high), where - low


def _centre_square(rgb: np.ndarray) -> np.ndarray:
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return rgb[top:top + side, left:left + side]


def _smooth_resize(rgb: np.ndarray, size: int) -> np.ndarray:
    if rgb.shape[:2] == (size, size):
        return rgb.astype(np.float32)
    image = torch.from_numpy(np.ascontiguousarray(rgb)).permute(2, 0, 1)[None].float()
    image = F.interpolate(image, size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    return image[0].permute(1, 2, 0).clamp_(0, 255).numpy()
