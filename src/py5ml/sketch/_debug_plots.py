"""The debug panel's pieces: the model summary, per-epoch curves, and a confusion matrix.

Each piece is a small plain object with a ``draw(s, x, y, w, h)``. They are drawn by
``DebugPanel`` (``_debug_panel.py``) but know nothing about it, so each can be tested alone.
A confusion matrix is a table of "what it was" (rows) against "what the network said"
(columns): the diagonal holds the right answers, everything else shows which labels it mixes up.
"""

from __future__ import annotations

import numpy as np
import torch

from ._loss_graph import COLORS as GRAPH_COLORS

__all__ = ["model_summary", "EpochCurves", "confusion_matrix", "ConfusionMatrixView"]

COLORS = {**GRAPH_COLORS, "acc": (60, 160, 255), "text": (225, 225, 230), "dim": (150, 150, 160)}
CURVES = (("loss", "loss"), ("val_loss", "val_loss"), ("acc", "acc"), ("val_acc", "val_acc"))


def model_summary(model) -> list[tuple[str, str, int]]:
    """``[(layer, output units, parameters)]`` for a ``Sequential`` of Linear layers and activations."""
    rows = []
    for module in getattr(model, "children", lambda: [])():
        params = sum(p.numel() for p in module.parameters())
        if isinstance(module, torch.nn.Linear):
            rows.append([f"dense_{len(rows) + 1}", str(module.out_features), params])
        elif rows and params == 0:
            rows[-1][0] += f" ({type(module).__name__.lower()})"  # fold the activation into its layer
        else:
            rows.append([type(module).__name__.lower(), "", params])
    return [tuple(row) for row in rows]


class EpochCurves:
    """loss, val_loss, acc and val_acc after every epoch, as lines (losses left, accuracy 0–1)."""

    def __init__(self):
        self.logs = []

    def add(self, logs: dict) -> None:
        self.logs.append(dict(logs))

    def series(self, key) -> np.ndarray:
        return np.array([logs.get(key, np.nan) for logs in self.logs], dtype=np.float32)

    def draw(self, s, x, y, w, h, planned_epochs=0):
        s.no_stroke()
        s.fill(*COLORS["panel"])
        s.rect(x, y, w, h)
        s.stroke(*COLORS["grid"])
        s.stroke_weight(1)
        s.lines(np.array([[x, y, x, y + h], [x, y + h, x + w, y + h]], dtype=np.float32))
        span = max(planned_epochs, len(self.logs), 2) - 1
        losses = np.concatenate([self.series("loss"), self.series("val_loss")])
        top = float(np.nanmax(losses)) if np.isfinite(losses).any() else 1.0
        for key, color in CURVES:
            values = self.series(key)
            scale = 1.0 if key.endswith("acc") else max(top, 1e-6)
            self._line(s, values, scale, color, x, y, w, h, span)
        self._labels(s, x, y, w, h, top)

    def _line(self, s, values, scale, color, x, y, w, h, span):
        keep = ~np.isnan(values)
        if not keep.any():
            return
        px = x + np.arange(len(values))[keep] / span * w
        py = y + h - np.clip(values[keep] / scale, 0, 1) * h
        points = np.column_stack([px, py]).astype(np.float32)
        s.stroke(*COLORS[color])
        if len(points) == 1:
            s.stroke_weight(5)
            s.points(points)
            return
        s.stroke_weight(2)
        s.no_fill()
        s.begin_shape()
        s.vertices(points)  # one call per curve
        s.end_shape()

    def _labels(self, s, x, y, w, h, top):
        """A title line that doubles as the legend, each name in its line's color."""
        s.no_stroke()
        s.text_size(12)
        s.text_align(s.LEFT, s.BOTTOM)
        s.fill(*COLORS["dim"])
        title = f"per epoch ({len(self.logs)}), loss up to {top:.3g}:"
        s.text(title, x, y - 3)
        cx = x + s.text_width(title) + 8
        for key, color in CURVES:
            if np.isnan(self.series(key)).all():
                continue
            s.fill(*COLORS[color])
            s.text(key, cx, y - 3)
            cx += s.text_width(key) + 8


def confusion_matrix(model, xs, ys) -> np.ndarray:
    """Counts ``[true label, predicted label]`` of a classifier on one-hot ``ys``."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        predicted = model(torch.as_tensor(xs, dtype=torch.float32)).argmax(dim=1).numpy()
    model.train(was_training)
    truth = np.asarray(ys).argmax(axis=1)
    n = np.asarray(ys).shape[1]
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (truth, predicted), 1)
    return counts


class ConfusionMatrixView:
    """A confusion matrix as a grid of cells, brighter for more examples, with label names."""

    def __init__(self, counts: np.ndarray, labels, title="confusion matrix"):
        self.counts, self.labels, self.title = counts, [str(label) for label in labels], title

    @property
    def accuracy(self) -> float:
        total = self.counts.sum()
        return float(np.trace(self.counts) / total) if total else 0.0

    def draw(self, s, x, y, w, h):
        n = len(self.labels)
        margin = min(90, w * 0.3)
        cell = max(min((w - margin) / n, (h - 34) / n), 2)
        s.no_stroke()
        s.text_size(12)
        s.fill(*COLORS["text"])
        s.text_align(s.LEFT, s.TOP)
        s.text(f"{self.title}: {self.accuracy:.0%} right (rows: true, columns: said)", x, y)
        gx, gy = x + margin, y + 18
        rows = np.maximum(self.counts.sum(axis=1, keepdims=True), 1)
        shares = self.counts / rows  # each row sums to 1: a rare label's mistakes still show
        for i in range(n):
            for j in range(n):
                self._cell(s, gx + j * cell, gy + i * cell, cell, shares[i, j], i == j, self.counts[i, j])
        self._row_labels(s, x, gx, gy, cell, margin)

    def _cell(self, s, cx, cy, size, share, is_diagonal, count):
        base = (90, 220, 120) if is_diagonal else (255, 120, 80)
        s.fill(*(int(c * share + 40 * (1 - share)) for c in base))
        s.rect(cx, cy, size - 1, size - 1)
        if size >= 22 and count:
            s.fill(0 if share > 0.5 else 230)
            s.text_align(s.CENTER, s.CENTER)
            s.text(str(count), cx + size / 2, cy + size / 2)

    def _row_labels(self, s, x, gx, gy, cell, margin):
        s.fill(*COLORS["dim"])
        s.text_align(s.RIGHT, s.CENTER)
        for i, label in enumerate(self.labels):
            s.text(_fit(label, int(margin // 7)), gx - 4, gy + (i + 0.5) * cell)


def _fit(text, most):
    return text if len(text) <= most else text[: max(most - 1, 1)] + "…"
