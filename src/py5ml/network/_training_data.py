"""The examples a ``NeuralNetwork`` learns from, checked as they come in.

Every example is validated when it is added, so mistakes show up at the line that made them
("expected 3 inputs, got 4"), not deep inside training. A refused example changes nothing: not
even the input width or the names a first example would have fixed.

Inputs are numbers or text (text is one-hot encoded, as ml5 does for its titanic example). They
come as a list (``[1, 2]``) or a dict by name (``{"x": 1, "y": 2}``). A label comes as ``"A"``,
``["A"]`` or ``{"label": "A"}``; regression targets as a number, a list or a dict by name.

Example::

    data = TrainingData("classification", inputs=["fare_class", "age"], outputs=["survived"])
    data.add({"fare_class": "first", "age": 39}, {"survived": "died"})
    data.encoding().input_width     # 2: one-hot "first" (1 value seen so far) + age
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._checks import check_label, quote
from .._errors import DataError
from ._encoding import Column, Encoding

__all__ = ["TrainingData"]


class TrainingData:
    """Raw examples, their column names and kinds, and whether to normalize them."""

    def __init__(self, task, inputs=None, outputs=None):
        self.task = task
        self.input_names = list(inputs) if _is_names(inputs) else None
        self.input_count = len(self.input_names) if self.input_names else (inputs if isinstance(inputs, int) else None)
        self.label_name, self.fixed_labels, self.output_names = _outputs(task, outputs)
        self.labels = list(self.fixed_labels or [])
        self.kinds = None  # "number" / "string" per input column, fixed by the first example
        self.rows, self.targets = [], []
        self.is_normalized = False
        self.input_range = None  # (low, high) given to normalize_data(low, high)

    def __len__(self):
        return len(self.rows)

    # -- adding --------------------------------------------------------------------------------
    def add(self, inputs, target) -> None:
        """Check one example completely, then keep it (a refused one changes nothing)."""
        names, row = self._row(inputs)
        kinds = self._kinds(row)
        out_names, target = self._target(target)
        self.input_names, self.input_count, self.kinds = names, len(row), kinds
        if self.task == "classification":
            self.label_name = out_names
            if target not in self.labels:
                self.labels.append(target)
        else:
            self.output_names = out_names
        self.rows.append(row)
        self.targets.append(target)

    def _row(self, inputs):
        names = self.input_names
        if isinstance(inputs, dict):
            names = names or [str(k) for k in inputs]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise DataError(f"These inputs are missing: {', '.join(missing)}. Give all of {', '.join(names)}.")
            values = [inputs[n] for n in names]
        elif isinstance(inputs, (list, tuple, np.ndarray)):
            values = inputs.tolist() if isinstance(inputs, np.ndarray) else list(inputs)
        else:
            raise DataError(f"Give the inputs as a list, like add_data([{quote(inputs, 20)}], 'label'), or as a dict "
                            f"by name, like add_data({{'x': 1, 'y': 2}}, 'label'); not {quote(inputs)}.")
        row = [_value(v) for v in values]
        if not row:
            raise DataError("The inputs are empty: give at least one number, like add_data([1, 2], 'label').")
        if self.input_count is not None and len(row) != self.input_count:
            named = f" ({', '.join(names)})" if names and names[0] != "input0" else ""
            raise DataError(f"Expected {self.input_count} inputs{named}, got {len(row)}: {quote(values)}.")
        return names or [f"input{i}" for i in range(len(row))], row

    def _kinds(self, row):
        kinds = ["string" if isinstance(v, str) else "number" for v in row]
        if self.kinds is not None and kinds != self.kinds:
            j = next(i for i, (a, b) in enumerate(zip(kinds, self.kinds)) if a != b)
            raise DataError(f"Input {j} ({self.input_names[j]}) was {'text' if self.kinds[j] == 'string' else 'a number'} "
                            f"in the first example, but here it is {quote(row[j])}. Keep each input one kind.")
        return kinds

    def _target(self, target):
        if self.task == "classification":
            name = self.label_name
            if isinstance(target, dict):
                if len(target) != 1:
                    raise DataError(f"Give one label, like {{'label': 'red-ish'}}, not {quote(target)}.")
                name, target = next(iter(target.items()))
            label = check_label(target)
            if self.fixed_labels and label not in self.fixed_labels:
                raise DataError(f"Unknown label {label!r}. This network's labels are: {', '.join(self.fixed_labels)}.")
            return str(name), label
        return self._regression_target(target)

    def _regression_target(self, target):
        names = self.output_names
        if isinstance(target, dict):
            names = names or [str(k) for k in target]
            missing = [n for n in names if n not in target]
            if missing:
                raise DataError(f"These outputs are missing: {', '.join(missing)}. Give all of {', '.join(names)}.")
            target = [target[n] for n in names]
        elif isinstance(target, numbers.Real) and not isinstance(target, bool):
            target = [target]
        elif not isinstance(target, (list, tuple, np.ndarray)):
            raise DataError(f"A regression target is a number, a list of numbers or a dict by name, not {quote(target)}.")
        values = [_number(v, "regression target") for v in (target.tolist() if isinstance(target, np.ndarray) else target)]
        names = names or [f"output{i}" for i in range(len(values))]
        if len(values) != len(names) or not values:
            raise DataError(f"Expected {len(names)} outputs ({', '.join(names)}), got {len(values)}: {quote(target)}.")
        return names, values

    # -- normalizing -------------------------------------------------------------------------------
    def normalize(self, low=None, high=None) -> None:
        """Scale numbers to 0–1 when training: by the data's min/max, or inputs by ``low``–``high``."""
        if (low is None) != (high is None):
            raise DataError("Give both low and high (like normalize_data(0, 255)), or neither.")
        if low is None:
            if not self.rows:
                raise DataError("Add some data before normalize_data(), or give the range: normalize_data(0, 255).")
            self.is_normalized, self.input_range = True, None
            return
        width = self.input_count or 1
        lows, highs = _ends(low, "low", width), _ends(high, "high", width)
        if len(lows) != len(highs) or (self.input_count and len(lows) not in (1, self.input_count)):
            raise DataError(f"low and high need one number, or one per input ({self.input_count}), "
                            f"not {len(lows)} and {len(highs)}.")
        if any(a >= b for a, b in zip(np.broadcast_to(lows, len(highs)), highs)):
            raise DataError(f"low must be smaller than high, like normalize_data(0, 255), not {quote(low)}, {quote(high)}.")
        self.is_normalized, self.input_range = True, (lows, highs)

    # -- training ----------------------------------------------------------------------------------
    def encoding(self) -> Encoding:
        """The columns as they stand now, frozen for one training run; raises DataError if unusable."""
        if not self.rows:
            raise DataError("Add some examples before training! (nn.add_data(inputs, label))")
        if self.task == "classification" and len(set(self.targets)) < 2:
            raise DataError(f"All examples have the label {self.targets[0]!r}: add examples of at least two labels.")
        inputs = tuple(self._input_column(j) for j in range(self.input_count))
        if self.task == "classification":
            outputs = (Column(self.label_name, "string", values=tuple(self.labels)),)
        else:
            table = np.asarray(self.targets, dtype=np.float64)
            outputs = tuple(Column(n, "number", float(table[:, j].min()), float(table[:, j].max()))
                            for j, n in enumerate(self.output_names))
        return Encoding(self.task, inputs, outputs, self.is_normalized)

    def _input_column(self, j) -> Column:
        name = self.input_names[j]
        if self.kinds[j] == "string":
            return Column(name, "string", values=tuple(dict.fromkeys(row[j] for row in self.rows)))
        if self.input_range is not None:
            lows, highs = self.input_range
            return Column(name, "number", float(lows[j % len(lows)]), float(highs[j % len(highs)]))
        column = [row[j] for row in self.rows]
        return Column(name, "number", float(min(column)), float(max(column)))

    def arrays(self, encoding: Encoding):
        """``(xs, ys)`` as float32 arrays ready for ``fit``."""
        xs = np.stack([encoding.encode_inputs(row) for row in self.rows])
        return xs, encoding.encode_targets(self.targets)


def _is_names(inputs) -> bool:
    return isinstance(inputs, (list, tuple)) and bool(inputs) and all(isinstance(n, str) for n in inputs)


def _outputs(task, outputs):
    """``(label_name, fixed_labels, output_names)`` from the ``outputs`` option."""
    if task == "regression":
        if isinstance(outputs, int):
            return "label", None, [f"output{i}" for i in range(outputs)]
        return "label", None, list(outputs) if outputs else None
    if _is_names(outputs) and len(outputs) == 1:
        return outputs[0], None, None  # ml5: outputs=["label"] names the label column
    if _is_names(outputs):
        return "label", list(outputs), None  # py5ml: the labels themselves, in this order
    return "label", None, None


def _value(value):
    if isinstance(value, str):
        if not value.strip():
            raise DataError("An input is an empty text: give a number, or a word such as 'male'.")
        return value
    return _number(value, "input")


def _number(value, what):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DataError(f"Each {what} must be a number (or a word, for inputs), not {quote(value)}.")
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise DataError(f"Each {what} must be a finite number, not {quote(value)} (no NaN or infinity).")
    return value


def _ends(value, name, width):
    values = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
    return np.asarray([_number(v, f"normalize_data {name}") for v in values], dtype=np.float64)
