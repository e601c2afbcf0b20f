"""The training examples a feature extractor has collected: features plus their labels.

A scrapbook: every ``add_image`` pastes in one page (the backbone's features for the picture) with
its caption (the label). It can be saved and loaded again, so a sketch can collect some examples
today and add more tomorrow (ml5 could not, ml5 #754). The file is a numpy ``.npz`` read with
``allow_pickle=False``: plain arrays only, so loading someone else's file runs no code.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._checks import check_label, check_number
from .._errors import DataError

__all__ = ["ExampleStore"]

FORMAT = "py5ml-examples-1"


class ExampleStore:
    """Features (each of ``feature_shape``) and labels (str for classification, float for regression)."""

    def __init__(self, feature_shape, task="classification"):
        self.feature_shape = tuple(feature_shape)
        self.task = task
        self._features = []
        self._labels = []

    def __len__(self):
        return len(self._labels)

    def add(self, features, label):
        features = np.asarray(features, np.float32)
        if features.shape != self.feature_shape and features.size != np.prod(self.feature_shape):
            raise DataError(f"Examples of shape {features.shape} do not fit this backbone's features "
                            f"{self.feature_shape}: they were made with another feature extractor.")
        features = features.reshape(self.feature_shape)
        self._features.append(features)
        self._labels.append(self._checked_label(label))

    def _checked_label(self, label):
        if self.task == "regression":
            return check_number(label, "A regression example's label")
        return check_label(label)

    @property
    def labels(self):
        """Labels in the order they were first added (each once)."""
        return list(dict.fromkeys(self._labels)) if self.task == "classification" else []

    def counts(self):
        """How many examples each label has, e.g. ``{"happy": 30, "sad": 28}``."""
        out = {}
        for label in self._labels:
            out[label] = out.get(label, 0) + 1
        return out

    def arrays(self, labels=None):
        """(x, y): float32 features (N, *shape) and class numbers (by ``labels``) or float targets."""
        if not self._labels:
            raise DataError("Add some examples before training!")
        x = np.stack(self._features)
        if self.task == "regression":
            return x, np.asarray(self._labels, np.float32).reshape(-1, 1)
        index = {label: i for i, label in enumerate(labels or self.labels)}
        return x, np.asarray([index[label] for label in self._labels], np.int64)

    def clear(self):
        self._features.clear()
        self._labels.clear()

    # -- files ---------------------------------------------------------------------------
    def save(self, path, *, backbone=None):
        """Write every example to ``path`` (.npz); ``backbone`` metadata is kept to check on load."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(".npz")
        path.parent.mkdir(parents=True, exist_ok=True)
        x = np.stack(self._features) if self._features else np.zeros((0, *self.feature_shape), np.float32)
        meta = {"format": FORMAT, "task": self.task, "backbone": backbone or {}}
        labels = np.asarray(self._labels, dtype=np.float32 if self.task == "regression" else np.str_)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, features=x, labels=labels, meta=np.asarray(json.dumps(meta)))
        tmp.replace(path)
        return path

    @staticmethod
    def read(path):
        """(features, labels, meta) from a file ``save`` wrote; plain arrays only."""
        path = Path(path)
        if not path.is_file():
            raise DataError(f"No examples file at {path}. Save some with classifier.save_examples(path) first.")
        try:
            with np.load(path, allow_pickle=False) as data:
                features, labels, meta = data["features"], data["labels"], json.loads(str(data["meta"]))
        except (ValueError, KeyError, OSError, json.JSONDecodeError) as error:
            raise DataError(f"{path} is not a py5ml examples file ({error}).") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or features.ndim < 2 \
                or labels.ndim != 1 or len(features) != len(labels) or features.dtype.kind not in "iuf":
            raise DataError(f"{path} is not a py5ml examples file: save it again with save_examples(path).")
        backbone = meta.get("backbone", {})
        if not isinstance(backbone, dict) or not all(isinstance(backbone.get(key, ""), str) for key in ("version", "layer", "backbone")) \
                or meta.get("task") not in ("classification", "regression"):
            raise DataError(f"{path} has damaged metadata (backbone or task): save it again with save_examples(path).")
        if not np.isfinite(features).all():
            raise DataError(f"{path} holds NaN or infinite features: save it again with save_examples(path).")
        return features.astype(np.float32), labels.tolist(), meta
