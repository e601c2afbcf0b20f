"""Checking what a model file says about itself before anyone trusts it.

Weights are checked number by number, but the metadata beside them steers how they are used: the
input scaling, the input names, the task, the labels. A wrong field there gives silently wrong
answers (a min equal to its max divides by zero; four input names on a three-input model shift
every column). So each field py5ml reads is checked here against the model's real shapes, and a
field that does not fit is a ``ModelFileError`` naming it.

Example:
    >>> meta = {"task": "classification", "labels": ["a", "b"], "inputs": ["r", "g", "b"],
    ...         "normalization": {"min": [0, 0, 0], "max": [255, 255, 255]}}
    >>> check_py5ml_metadata(meta, (3,), (2,))["task"]
    'classification'
"""

from __future__ import annotations

import math
import numbers

from .._checks import quote
from .._errors import ModelFileError

__all__ = ["check_py5ml_metadata", "check_ml5_columns", "TASKS"]

TASKS = ("classification", "regression")


def check_py5ml_metadata(meta: dict, input_shape: tuple, output_shape: tuple) -> dict:
    """``meta`` itself when every field py5ml reads fits the model; else ``ModelFileError``."""
    if "task" in meta and meta["task"] not in TASKS:
        raise ModelFileError(
            f"The model's metadata names the task {quote(meta['task'])}; py5ml knows "
            f"{' and '.join(map(repr, TASKS))}. Save the model again with py5ml."
        )
    width = math.prod(input_shape) if input_shape else 0
    _check_inputs(meta, width)
    if "normalization" in meta:
        _check_normalization(meta["normalization"], width)
    if meta.get("task") == "regression" and isinstance(meta.get("outputs"), list):
        _check_names(meta["outputs"], output_shape[-1], "outputs", "outputs")
    return meta


def _check_inputs(meta, width):
    names, count = meta.get("inputs"), meta.get("input_count")
    if isinstance(names, list):
        _check_names(names, width, "inputs", "inputs")
    elif names is not None and not (_is_whole(names) and names == width):
        raise ModelFileError(f"The metadata's inputs must be {width} (the model's inputs) or {width} names, not {quote(names)}.")
    if count is not None and not (_is_whole(count) and count == width):
        raise ModelFileError(f"The metadata's input_count is {quote(count)} but the model takes {width} inputs. Save the model again.")


def _check_names(names, count, field, what):
    if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
        raise ModelFileError(f"The metadata's {field} must be different, non-empty names, not {quote(names)}.")
    if len(names) != count:
        raise ModelFileError(
            f"The metadata names {len(names)} {what} but the model has {count}. "
            "Save the model and its metadata together again."
        )


def _check_normalization(norm, width):
    if not isinstance(norm, dict) or "min" not in norm or "max" not in norm:
        raise ModelFileError(
            f"The metadata's normalization must be {{'min': [...], 'max': [...]}} with {width} numbers each, "
            f"not {quote(norm)}. Save the model again with py5ml."
        )
    low = _finite_list(norm["min"], width, "min")
    high = _finite_list(norm["max"], width, "max")
    for i, (a, b) in enumerate(zip(low, high)):
        if not a < b:
            raise ModelFileError(
                f"The metadata's normalization for input {i} has min {a} and max {b}; min must be smaller than "
                "max, or every value of that input would scale to NaN. Save the model again with py5ml."
            )


def _finite_list(values, width, end):
    if not isinstance(values, list) or len(values) != width or not all(_is_finite(v) for v in values):
        raise ModelFileError(
            f"The metadata's normalization {end} must be a list of {width} finite numbers (one per input), "
            f"not {quote(values)}. Save the model again with py5ml."
        )
    return [float(v) for v in values]


def check_ml5_columns(meta: dict, input_width: int) -> None:
    """ml5's ``model_meta.json`` inputs: each a string column or a number column with finite min ≤ max."""
    inputs = meta.get("inputs")
    if not isinstance(inputs, dict):
        return
    width = 0
    for name, spec in inputs.items():
        if not isinstance(spec, dict):
            raise ModelFileError(f"model_meta.json: input {quote(name)} must be an object, not {quote(spec)}.")
        if spec.get("dtype") == "string":
            values = spec.get("uniqueValues")
            width += len(values) if isinstance(values, list) else 1
            continue
        width += 1
        low, high = spec.get("min", 0), spec.get("max", 1)
        if not (_is_finite(low) and _is_finite(high)) or low > high:
            raise ModelFileError(
                f"model_meta.json: input {quote(name)} has min {quote(low)} and max {quote(high)}; they must be "
                "finite numbers with min ≤ max. Save the model again with ml5."
            )
    if inputs and width != input_width:
        raise ModelFileError(f"model_meta.json describes {width} inputs but the model takes {input_width}. "
                             "Save the model and its model_meta.json together again.")


def _is_finite(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
