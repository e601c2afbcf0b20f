"""``fit``'s arguments, checked at the call: bad settings fail before a single batch runs.

A train() that starts and then dies three frames later with a torch traceback is hard to read in a
sketch. So every setting is checked here, up front, and refused with a ``DataError`` that names
it and says what to pass: ``epochs="10"``, ``epochs=0``, ``batch_size=10**30``, ``learning_rate=
"0.1"``, a ``validation_data`` whose width or length is off, or NaN anywhere in the numbers.

NaN in the validation rows is refused rather than warned about: training would "succeed" with a
``val_loss`` of NaN every epoch, and the loss graph would show nothing, which looks like a py5ml bug.

Example::

    epochs, batch_size, split, rate = check_fit_arguments(
        model, x, y, epochs=10, batch_size=32, validation_split=0.1, validation_data=None,
        learning_rate=0.25, shuffle=True, callbacks=(), device="auto")     # (10, 32, 0.1, 0.25)
"""

from __future__ import annotations

import numpy as np
import torch

from .._checks import check_int, check_number, quote
from .._errors import DataError
from ._callbacks import EVENTS

__all__ = ["check_fit_arguments"]

MAX_SAMPLES = 2**31 - 1


def check_fit_arguments(model, x, y, *, epochs, batch_size, validation_split, validation_data,
                        learning_rate, shuffle, callbacks, device, yield_every="auto",
                        loss="categorical_crossentropy") -> tuple:
    """``(epochs, batch_size, validation_split, learning_rate)`` as plain numbers; ``DataError`` otherwise."""
    if not isinstance(model, torch.nn.Module):
        raise DataError(f"model must be a torch.nn.Module (e.g. torch.nn.Sequential(...)), not {quote(model)}.")
    if not any(p.requires_grad for p in model.parameters()):
        raise DataError("The model has no trainable parameters: give it a layer such as torch.nn.Linear(3, 9).")
    xs, ys = _numbers(x, "x"), _numbers(y, "y")
    if len(xs) != len(ys):
        raise DataError(f"x has {len(xs)} samples but y has {len(ys)}: give one label per sample.")
    _check_validation_data(validation_data, xs, ys)
    if isinstance(loss, str) and "categorical" in loss.lower():
        _check_class_numbers(ys, "y")
    if not (isinstance(shuffle, (bool, np.bool_)) or (type(shuffle) is int and shuffle in (0, 1))):
        raise DataError(f"shuffle must be True or False, not {quote(shuffle)}.")
    _check_callbacks(callbacks)
    _check_device(device)
    _check_yield_every(yield_every)
    return (check_int(epochs, "epochs", low=1), _batch_size(batch_size), _fraction(validation_split),
            _learning_rate(learning_rate))


def _batch_size(batch_size):
    try:
        return check_int(batch_size, "batch_size", low=1)
    except DataError:  # ml5's words
        raise DataError(f"Batch size is {quote(batch_size)}: choose a whole number ≥ 1, like 32.") from None


def _learning_rate(learning_rate):
    try:
        return check_number(learning_rate, "learning_rate", low=0, low_open=True, high=1e30)
    except DataError:
        raise DataError(f"learning_rate must be a positive number like 0.25 (at most 1e30), not {quote(learning_rate)}.") from None


def _fraction(validation_split):
    split = check_number(validation_split, "validation_split")
    if not 0 <= split < 1:
        raise DataError(f"validation_split must be a fraction in [0, 1), like 0.1, not {quote(validation_split)}.")
    return split


def _numbers(data, name):
    """``data`` as an array-like of finite numbers with at least one sample (not yet a tensor)."""
    if isinstance(data, torch.Tensor):
        if data.dtype.is_complex or data.dtype == torch.bool and name == "x":
            raise DataError(f"{name} must hold real numbers, not {data.dtype}.")
        array = data
        finite = bool(torch.isfinite(data).all()) if data.is_floating_point() else True
    else:
        if isinstance(data, (str, bytes, dict, set)) or data is None:
            raise DataError(f"{name} must be numbers (a list of rows, a numpy array or a tensor), not {quote(data)}.")
        array = _as_array(data, name)
        finite = bool(np.isfinite(array).all()) if array.dtype.kind == "f" else True
    if array.ndim == 0 or len(array) == 0 or 0 in tuple(array.shape):
        raise DataError(f"There is no training data: {name} is empty. Add some data before training!")
    if len(array) > MAX_SAMPLES:
        raise DataError(f"{name} has more than {MAX_SAMPLES:,} samples; train on a smaller part.")
    if not finite:
        raise DataError(f"{name} holds NaN or infinite values: {_first_bad_row(array)}. Remove or fix those rows.")
    return array


def _as_array(data, name):
    try:
        array = np.asarray(data)
    except (TypeError, ValueError, OverflowError) as error:
        raise DataError(f"{name} must be rows of equal length, all numbers: {str(error)[:80]}.") from None
    if array.dtype.kind not in "biuf":
        raise DataError(
            f"{name} must be rows of equal length, all numbers (not text, huge ints or ragged lists), "
            f"got {quote(data)}."
        )
    return array


def _first_bad_row(array):
    rows = array.reshape(len(array), -1)
    bad = ~(torch.isfinite(rows).all(dim=1)) if isinstance(rows, torch.Tensor) else ~np.isfinite(rows).all(axis=1)
    index = int(bad.nonzero()[0][0]) if not isinstance(bad, torch.Tensor) else int(bad.nonzero()[0, 0])
    return f"row {index} is {quote(rows[index].tolist())}"


def _check_validation_data(validation_data, xs, ys):
    if validation_data is None:
        return
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise DataError(f"validation_data must be a pair (x_val, y_val), not {quote(validation_data)}.")
    vx, vy = _numbers(validation_data[0], "validation x"), _numbers(validation_data[1], "validation y")
    if len(vx) != len(vy):
        raise DataError(f"validation_data has {len(vx)} rows of x but {len(vy)} of y: give one label per row.")
    if tuple(vx.shape[1:]) != tuple(xs.shape[1:]):
        raise DataError(
            f"validation x rows have shape {tuple(vx.shape[1:])} but the training rows have "
            f"{tuple(xs.shape[1:])}: give validation rows as wide as the training rows."
        )
    if vy.ndim != ys.ndim or (ys.ndim > 1 and tuple(vy.shape[1:]) != tuple(ys.shape[1:])):
        raise DataError(
            f"validation y has shape {tuple(vy.shape[1:])} per row but y has {tuple(ys.shape[1:])}: "
            "give validation labels in the same form as the training labels."
        )


def _check_class_numbers(ys, name):
    """Class numbers (a 1-D y) start at 0: a negative one would index from the end of the outputs."""
    if ys.ndim != 1 or len(ys) == 0:
        return
    low = float(ys.min())
    if low < 0:
        raise DataError(f"{name} holds the class number {low:g}; class numbers start at 0 (0, 1, 2, ...).")


def _check_callbacks(callbacks):
    if callbacks is None or isinstance(callbacks, (str, bytes, dict, np.ndarray)) or not hasattr(callbacks, "__iter__"):
        raise DataError(f"callbacks must be a list of Callback objects, like [graph], not {quote(callbacks)}.")
    for callback in callbacks:
        if not any(callable(getattr(callback, event, None)) for event in EVENTS):
            raise DataError(
                f"callbacks must hold Callback objects (with on_epoch_end, on_batch_end...), like [graph], "
                f"not {quote(callback)}."
            )


def _check_yield_every(yield_every):
    if isinstance(yield_every, str) and yield_every in ("auto", "batch", "epoch"):
        return
    try:
        check_number(yield_every, "yield_every", low=0, low_open=True)
    except DataError:
        raise DataError(f'yield_every must be "auto", "batch", "epoch" or a number of milliseconds like 8, '
                        f"not {quote(yield_every)}.") from None


def _check_device(device):
    if isinstance(device, torch.device) or (isinstance(device, str) and device == "auto"):
        return
    if not isinstance(device, str):
        raise DataError(f'device must be "auto", "cpu" or "cuda", not {quote(device)}.')
    try:
        parsed = torch.device(device)
    except RuntimeError:
        raise DataError(f'device must be "auto", "cpu" or "cuda", not {quote(device)}.') from None
    if parsed.type == "cuda" and not torch.cuda.is_available():
        raise DataError(f"device={quote(device)} but this machine has no CUDA GPU: use device=\"auto\" or \"cpu\".")
    if parsed.type not in ("cpu", "cuda", "mps"):
        raise DataError(f'device must be "auto", "cpu" or "cuda", not {quote(device)}.')

