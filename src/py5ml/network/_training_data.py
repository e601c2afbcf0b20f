"""The examples a ``NeuralNetwork`` learns from, checked as they come in.

Every example is validated when it is added, so mistakes show up at the line that made them
("expected 3 inputs, got 4"), not deep inside training.
"""

import math

import numpy as np

from .._errors import DataError

__all__ = ["TrainingData"]


class TrainingData:
    """Input rows and their targets, plus the input names, labels and normalization."""

    def __init__(self, task, inputs=None, outputs=None):
        self.task = task
        self.input_names = _names(inputs)
        self.input_count = len(self.input_names) if self.input_names else (inputs if isinstance(inputs, int) else None)
        self.fixed_labels = task == "classification" and outputs is not None
        self.labels = list(outputs) if self.fixed_labels else []
        self.output_names = _output_names(task, outputs)
        self.rows, self.targets = [], []
        self.norm = None  # (low, high) arrays, one value per input

    def __len__(self):
        return len(self.rows)

    @property
    def output_count(self) -> int:
        return len(self.labels) if self.task == "classification" else len(self.output_names)

    # -- adding --------------------------------------------------------------------------------
    def add(self, inputs, target) -> None:
        row = self._row(inputs)
        encoded = self._target(target)
        self.rows.append(row)
        self.targets.append(encoded)

    def _row(self, inputs):
        if isinstance(inputs, dict):
            if self.input_names is None:
                self.input_names = list(inputs)
            missing = [n for n in self.input_names if n not in inputs]
            if missing:
                raise DataError(f"These inputs are missing: {', '.join(missing)}. Give all of {', '.join(self.input_names)}.")
            inputs = [inputs[n] for n in self.input_names]
        row = _numbers(inputs, "inputs")
        if self.input_count is None:
            self.input_count = len(row)
        if len(row) != self.input_count:
            raise DataError(f"Expected {self.input_count} inputs{self._named()}, got {len(row)}: {list(inputs)!r}.")
        return row

    def _named(self):
        return f" ({', '.join(self.input_names)})" if self.input_names else ""

    def _target(self, target):
        if self.task == "regression":
            values = _numbers(list(target.values()) if isinstance(target, dict) else target, "outputs")
            if not self.output_names:
                self.output_names = list(target) if isinstance(target, dict) else [f"output{i}" for i in range(len(values))]
            if len(values) != len(self.output_names):
                raise DataError(f"Expected {len(self.output_names)} outputs, got {len(values)}.")
            return values
        label = _label(target)
        if label not in self.labels:
            if self.fixed_labels:
                raise DataError(f"Unknown label {label!r}. This network's labels are: {', '.join(self.labels)}.")
            self.labels.append(label)
        return self.labels.index(label)

    # -- using ---------------------------------------------------------------------------------
    def normalize(self, low=None, high=None) -> None:
        if (low is None) != (high is None):
            raise DataError("Give both low and high (like normalize_data(0, 255)), or neither.")
        if low is None:
            if not self.rows:
                raise DataError("Add some data before normalize_data(), or give the range: normalize_data(0, 255).")
            table = np.asarray(self.rows, dtype=np.float32)
            low, high = table.min(axis=0), table.max(axis=0)
        width = (self.input_count,) if self.input_count else (1,)  # unknown width: broadcast later
        low = np.broadcast_to(np.asarray(low, np.float32), width).copy()
        high = np.broadcast_to(np.asarray(high, np.float32), width).copy()
        high[high == low] = low[high == low] + 1  # a constant input maps to 0, not NaN
        self.norm = (low, high)  # one value, or one per input

    def arrays(self):
        """``(xs, ys)`` as float32 arrays ready for ``fit``; raises DataError if unusable."""
        if not self.rows:
            raise DataError("Add some examples before training! (nn.add_data(inputs, label))")
        xs = self._scale(np.asarray(self.rows, dtype=np.float32))
        if self.task == "regression":
            return xs, np.asarray(self.targets, dtype=np.float32)
        if len(set(self.targets)) < 2:
            raise DataError(f"All examples have the label {self.labels[self.targets[0]]!r}: add examples of at least two labels.")
        return xs, np.eye(len(self.labels), dtype=np.float32)[self.targets]

    def encode_inputs(self, inputs) -> np.ndarray:
        return self._scale(np.asarray(self._row(inputs), dtype=np.float32))

    def _scale(self, xs):
        if self.norm is None:
            return xs
        low, high = self.norm
        return (xs - low) / (high - low)

    # -- files ---------------------------------------------------------------------------------
    def metadata(self) -> dict:
        meta = {"inputs": self.input_names or self.input_count, "input_count": self.input_count}
        if self.task == "classification":
            meta["labels"] = list(self.labels)
        else:
            meta["outputs"] = list(self.output_names)
        if self.norm is not None:
            low, high = (np.broadcast_to(a, (self.input_count,)) for a in self.norm)
            meta["normalization"] = {"min": low.tolist(), "max": high.tolist()}
        return meta

    @classmethod
    def from_metadata(cls, task, meta, labels, input_shape):
        names = meta.get("inputs")
        data = cls(task, names if isinstance(names, list) else int(input_shape[0]),
                   labels if task == "classification" else meta.get("outputs"))
        data.input_count = int(input_shape[0])
        norm = meta.get("normalization")
        if norm:
            low, high = np.asarray(norm["min"], np.float32), np.asarray(norm["max"], np.float32)
            if low.shape != (data.input_count,) or high.shape != (data.input_count,):
                raise DataError(f"The saved normalization has {low.size} values but the model takes {data.input_count} inputs.")
            data.norm = (low, high)
        return data


def _names(inputs):
    if isinstance(inputs, (list, tuple)) and all(isinstance(n, str) for n in inputs):
        return list(inputs)
    return None


def _output_names(task, outputs):
    if task == "classification":
        return []
    if isinstance(outputs, int):
        return [f"output{i}" for i in range(outputs)]
    return list(outputs) if outputs else []


def _numbers(values, what):
    if isinstance(values, (int, float, np.number)):
        values = [values]
    try:
        row = [float(v) for v in values]
    except (TypeError, ValueError):
        raise DataError(f"The {what} must be numbers, got {values!r}.") from None
    if not row or not all(math.isfinite(v) for v in row):
        raise DataError(f"The {what} must be finite numbers (no NaN or empty lists), got {values!r}.")
    return row


def _label(target):
    if isinstance(target, dict):
        if len(target) != 1:
            raise DataError(f"Give one label, like {{'label': 'red-ish'}}, got {target!r}.")
        target = next(iter(target.values()))
    if not isinstance(target, str) or not target:
        raise DataError(f"A classification label must be a non-empty string like 'red-ish', got {target!r}.")
    return target
