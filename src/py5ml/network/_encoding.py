"""How a ``NeuralNetwork`` turns examples into numbers, and numbers back into answers.

The same idea as ml5's metadata: every input and output is a *column* with a name. A number
column is kept as it is, or scaled to 0–1 with its min and max once ``normalize_data()`` has been
called. A text column (``"male"``, ``"first"``) becomes one-hot numbers, one per value seen in
the data, its *legend*. Classification has one text output column, the label.

An ``Encoding`` is frozen when training starts and travels with the model, so adding more data
later never changes how the trained model reads its inputs. It is saved as ml5's
``model_meta.json`` (``inputs``, ``outputs``, ``isNormalized``), so files move both ways.

Example::

    enc = Encoding("regression", [Column("x", "number", 0, 10)], [Column("y", "number", 0, 100)], True)
    enc.encode_inputs([5])          # array([0.5])
    enc.decode_values([0.25])       # [25.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._checks import quote
from .._errors import DataError, ModelFileError

__all__ = ["Column", "Encoding"]


@dataclass(frozen=True)
class Column:
    """One named input or output: ``dtype`` "number" (with ``low``/``high``) or "string" (with ``values``)."""

    name: str
    dtype: str = "number"
    low: float = 0.0
    high: float = 1.0
    values: tuple = field(default=())

    @property
    def width(self) -> int:
        return len(self.values) if self.dtype == "string" else 1

    def encode(self, value, is_normalized: bool) -> list:
        if self.dtype == "string":
            if not isinstance(value, str) or value not in self.values:
                raise DataError(f"Input {self.name!r} must be one of {', '.join(map(repr, self.values))}, "
                                f"not {quote(value)}: the network was trained on those.")
            return [1.0 if value == v else 0.0 for v in self.values]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not math.isfinite(value):
            raise DataError(f"Input {self.name!r} must be a finite number, not {quote(value)}.")
        return [self.scale(float(value))] if is_normalized else [float(value)]

    def scale(self, value: float) -> float:
        span = self.high - self.low
        return (value - self.low) / span if span else 0.0  # a constant column maps to 0, not NaN

    def unscale(self, value: float) -> float:
        return value * (self.high - self.low) + self.low

    def to_ml5(self) -> dict:
        if self.dtype == "string":
            legend = {v: [1 if v == w else 0 for w in self.values] for v in self.values}
            return {"dtype": "string", "uniqueValues": list(self.values), "legend": legend}
        return {"dtype": "number", "min": self.low, "max": self.high}


@dataclass(frozen=True)
class Encoding:
    """The columns a trained network reads and writes, and whether numbers are scaled to 0–1."""

    task: str
    inputs: tuple
    outputs: tuple
    is_normalized: bool = False

    @property
    def input_names(self) -> list:
        return [c.name for c in self.inputs]

    @property
    def input_width(self) -> int:
        return sum(c.width for c in self.inputs)

    @property
    def output_width(self) -> int:
        return sum(c.width for c in self.outputs)

    @property
    def labels(self) -> list:
        return list(self.outputs[0].values) if self.task == "classification" else []

    @property
    def output_names(self) -> list:
        return [c.name for c in self.outputs]

    def encode_inputs(self, row) -> np.ndarray:
        """One example (a list in column order, or a dict by name) as the model's input numbers."""
        values = self._ordered(row)
        out = []
        for column, value in zip(self.inputs, values):
            out += column.encode(value, self.is_normalized)
        return np.asarray(out, dtype=np.float32)

    def _ordered(self, row):
        if isinstance(row, dict):
            missing = [n for n in self.input_names if n not in row]
            if missing:
                raise DataError(f"These inputs are missing: {', '.join(missing)}. Give all of {', '.join(self.input_names)}.")
            return [row[n] for n in self.input_names]
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise DataError(f"Give the inputs as a list like [1, 2] or a dict by name, not {quote(row)}.")
        row = list(row.tolist() if isinstance(row, np.ndarray) else row)
        if len(row) != len(self.inputs):
            names = f" ({', '.join(self.input_names)})"
            raise DataError(f"Expected {len(self.inputs)} inputs{names}, got {len(row)}: {quote(row)}.")
        return row

    def encode_targets(self, targets) -> np.ndarray:
        """Training targets: one-hot rows for labels, (scaled) numbers for regression."""
        if self.task == "classification":
            index = {label: i for i, label in enumerate(self.labels)}
            return np.eye(len(index), dtype=np.float32)[[index[t] for t in targets]]
        table = np.asarray(targets, dtype=np.float64)
        if self.is_normalized:
            for j, column in enumerate(self.outputs):
                table[:, j] = [column.scale(v) for v in table[:, j]]
        return table.astype(np.float32)

    def decode_values(self, numbers) -> list:
        """Regression outputs back in the data's units (un-scaled when the data was normalized)."""
        return [c.unscale(float(v)) if self.is_normalized else float(v) for c, v in zip(self.outputs, numbers)]

    # -- ml5's model_meta.json -------------------------------------------------------------------
    def to_ml5_meta(self) -> dict:
        return {
            "inputUnits": self.input_width, "outputUnits": self.output_width,
            "inputs": {c.name: c.to_ml5() for c in self.inputs},
            "outputs": {c.name: c.to_ml5() for c in self.outputs},
            "isNormalized": self.is_normalized,
        }

    @classmethod
    def from_ml5_meta(cls, meta, task, input_width: int, output_width: int) -> "Encoding":
        """Read ``model_meta.json`` (ml5's or py5ml's), checking it against the model's shapes."""
        if not isinstance(meta, dict) or not isinstance(meta.get("inputs"), dict) or not isinstance(meta.get("outputs"), dict):
            raise ModelFileError("The model's metadata needs 'inputs' and 'outputs' objects, as ml5's save() writes.")
        normalized = meta.get("isNormalized", False)
        if not isinstance(normalized, bool):
            raise ModelFileError(f"isNormalized must be true or false, not {quote(normalized)}.")
        enc = cls(task, tuple(_column(n, c) for n, c in meta["inputs"].items()),
                  tuple(_column(n, c) for n, c in meta["outputs"].items()), normalized)
        if enc.input_width != input_width or enc.output_width != output_width:
            raise ModelFileError(
                f"The metadata describes {enc.input_width} inputs and {enc.output_width} outputs, but the model has "
                f"{input_width} and {output_width}. Save the model and its model_meta.json together again."
            )
        if task == "classification" and (len(enc.outputs) != 1 or enc.outputs[0].dtype != "string"):
            raise ModelFileError("A classifier's metadata needs one text output (the label) with its uniqueValues.")
        return enc

    @classmethod
    def plain(cls, task, input_width: int, output_width: int, labels=None) -> "Encoding":
        """Numbers in, numbers out, named input0.. / output0..: a model file that has no metadata."""
        inputs = tuple(Column(f"input{i}") for i in range(input_width))
        if task == "classification":
            names = list(labels) if labels else [str(i) for i in range(output_width)]
            return cls(task, inputs, (Column("label", "string", values=tuple(names)),))
        return cls(task, inputs, tuple(Column(f"output{i}") for i in range(output_width)))


def _column(name, spec) -> Column:
    if not isinstance(spec, dict):
        raise ModelFileError(f"Column {quote(name)} in the metadata must be an object, not {quote(spec)}.")
    if spec.get("dtype") == "string":
        values = spec.get("uniqueValues")
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values) \
                or len(set(values)) != len(values):
            raise ModelFileError(f"Column {quote(name)}: uniqueValues must be a list of different, non-empty texts.")
        return Column(str(name), "string", values=tuple(values))
    low, high = spec.get("min", 0), spec.get("max", 1)
    for end in (low, high):
        if isinstance(end, bool) or not isinstance(end, (int, float)) or not math.isfinite(end):
            raise ModelFileError(f"Column {quote(name)}: min and max must be finite numbers, not {quote(end)}.")
    if low > high:
        raise ModelFileError(f"Column {quote(name)}: min ({low}) is larger than max ({high}).")
    return Column(str(name), "number", float(low), float(high))
