"""``LossGraph``: a live plot of training, drawn in the sketch, that is also a fit callback.

It draws the loss of every batch as a line that grows while the model trains, the validation
loss of each epoch as dots, the accuracy on its own 0–1 scale, axes with labels, and the latest
values as text. Its memory is a fixed number of points: when full, neighbouring points are
averaged in pairs (like zooming out on a long road trip), so each frame costs the same after
ten batches or a million, and the whole line is one ``vertices()`` call.
"""

import numpy as np

from .._checks import check_number, check_text, quote
from .._errors import DataError
from ..training._callbacks import Callback

__all__ = ["LossGraph", "LossTrace"]

COLORS = {"panel": (28, 28, 32), "loss": (255, 255, 255), "val_loss": (255, 170, 60), "val_acc": (90, 220, 120), "grid": (255, 255, 255, 60)}


class LossTrace:
    """A fixed-size record of a long series: every point is the mean of ``stride`` values."""

    def __init__(self, max_points: int = 512):
        if isinstance(max_points, bool) or not isinstance(max_points, int) or not 4 <= max_points <= 2**20 or max_points % 2:
            raise DataError(f"max_points must be an even number ≥ 4, like 512, not {quote(max_points)}.")
        self.max_points = max_points
        self.values = np.zeros(max_points, dtype=np.float32)
        self.count = 0  # stored points
        self.stride = 1  # values per stored point
        self.total = 0  # values seen
        self._sum, self._n = 0.0, 0

    def add(self, value: float) -> None:
        self.total += 1
        self._sum += value
        self._n += 1
        if self._n == self.stride:
            self._store(self._sum / self._n)
            self._sum, self._n = 0.0, 0

    def _store(self, value):
        self.values[self.count] = value
        self.count += 1
        if self.count == self.max_points:
            half = self.max_points // 2
            self.values[:half] = self.values.reshape(half, 2).mean(axis=1)
            self.count, self.stride = half, self.stride * 2

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """``(positions, values)``: each point's position is the index of its middle value."""
        positions = (np.arange(self.count, dtype=np.float32) + 0.5) * self.stride
        return positions, self.values[: self.count]

    @property
    def last(self):
        return None if self.total == 0 else float(self.values[self.count - 1])


class LossGraph(Callback):
    """A loss plot for ``draw()``; pass it to ``fit``/``train`` as a callback.

    Example::

        graph = py5ml.LossGraph(20, 20, 360, 160)

        async def train():
            await py5ml.fit(model, xs, ys, epochs=10, callbacks=[graph])

        def draw():
            py5.background(40)
            graph.draw()

    Args:
        x, y, w, h: where the graph goes on the canvas.
        max_points: how many points the batch-loss line keeps (the cost of a frame).
        title: the heading shown over the plot.
    """

    def __init__(self, x=10, y=10, w=320, h=160, *, max_points=512, title="loss"):
        self.x, self.y = check_number(x, "x"), check_number(y, "y")
        self.w, self.h = check_number(w, "w", low=0, low_open=True), check_number(h, "h", low=0, low_open=True)
        self.title = check_text(title, "title")
        self.trace = LossTrace(max_points)
        self.epochs = []  # (batch position, logs) at each epoch end
        self.planned_batches = 0
        self.status = "waiting to train"

    # -- callback side -------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self.trace = LossTrace(self.trace.max_points)
        self.epochs = []
        self.planned_batches = self.params.get("epochs", 0) * self.params.get("steps", 0)
        self.status = "training"

    def on_batch_end(self, batch, logs=None):
        self.trace.add(logs["loss"])

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((self.trace.total, dict(logs)))

    def on_train_end(self, logs=None):
        self.status = "done"

    def add_loss(self, loss: float) -> None:
        """Record a loss by hand (for training loops that don't use ``fit``)."""
        self.trace.add(loss)

    # -- drawing side ----------------------------------------------------------------------
    def draw(self, s=None) -> None:
        """Draw the graph on sketch ``s`` (default: py5's current sketch)."""
        s = s if s is not None else _current_sketch()
        s.push_style()
        self._draw_frame(s)
        span, top = self._scales()
        self._draw_batch_line(s, span, top)
        self._draw_epoch_marks(s, span, top)
        self._draw_labels(s, span, top)
        s.pop_style()

    def _scales(self):
        span = max(self.planned_batches, self.trace.total, 1)
        _, values = self.trace.points()
        val_losses = [logs.get("val_loss", 0.0) for _, logs in self.epochs]
        peak = max(float(values.max()) if len(values) else 0.0, max(val_losses, default=0.0), 1e-6)
        return span, _nice_ceiling(peak)

    def _to_screen(self, positions, values, span, top):
        px = self.x + positions / span * self.w
        py = self.y + self.h - np.clip(values / top, 0, 1) * self.h
        return np.column_stack([px, py]).astype(np.float32)

    def _draw_frame(self, s):
        s.no_stroke()
        s.fill(*COLORS["panel"])  # opaque: blending a large translucent panel costs ~1 ms a frame
        s.rect(self.x - 44, self.y - 26, self.w + 56, self.h + 50)
        s.stroke(*COLORS["grid"])
        s.stroke_weight(1)
        s.lines(np.array([
            [self.x, self.y, self.x, self.y + self.h],
            [self.x, self.y + self.h, self.x + self.w, self.y + self.h],
            [self.x, self.y + self.h / 2, self.x + self.w, self.y + self.h / 2],
        ], dtype=np.float32))

    def _draw_batch_line(self, s, span, top):
        positions, values = self.trace.points()
        if len(values) < 2:
            return
        positions, values = _pool(positions, values, max(int(self.w // 2), 2))  # ~1 point per 2 pixels
        s.no_fill()
        s.stroke(*COLORS["loss"])
        s.stroke_weight(1)
        s.begin_shape()
        s.vertices(self._to_screen(positions, values, span, top))
        s.end_shape()

    def _draw_epoch_marks(self, s, span, top):
        if not self.epochs:
            return
        positions = np.array([p for p, _ in self.epochs], dtype=np.float32)
        for key, scale in (("val_loss", top), ("val_acc", 1.0)):
            values = np.array([logs.get(key, np.nan) for _, logs in self.epochs], dtype=np.float32)
            keep = ~np.isnan(values)
            if not keep.any():
                continue
            pts = self._to_screen(positions[keep], values[keep], span, scale)
            s.stroke(*COLORS[key])
            s.stroke_weight(7 if len(pts) <= 20 else 4)  # many epochs: smaller dots
            s.points(pts)
            if len(pts) > 1:
                s.stroke_weight(1.5)
                s.no_fill()
                s.begin_shape()
                s.vertices(pts)
                s.end_shape()

    def _draw_labels(self, s, span, top):
        s.no_stroke()
        s.text_size(12)  # one size for every label: changing sizes re-derives the font each frame
        s.fill(200)
        s.text_align(s.RIGHT, s.CENTER)
        s.text(f"{top:g}", self.x - 6, self.y)
        s.text(f"{top / 2:g}", self.x - 6, self.y + self.h / 2)
        s.text("0", self.x - 6, self.y + self.h)
        s.text_align(s.LEFT, s.TOP)
        s.text(f"batch {self.trace.total} / {span}   {self.status}", self.x, self.y + self.h + 4)
        if any("val_acc" in logs for _, logs in self.epochs):
            s.fill(*COLORS["val_acc"])
            s.text_align(s.RIGHT, s.TOP)
            s.text("acc 0–1", self.x + self.w, self.y + self.h + 4)
        self._draw_headline(s)

    def _draw_headline(self, s):
        """The latest values, each in its line's color: the headline doubles as the legend."""
        s.text_align(s.LEFT, s.BOTTOM)
        x = self.x - 36
        for text, color in self._headline_parts():
            s.fill(*color)
            s.text(text, x, self.y - 6)
            x += s.text_width(text) + 12

    def _headline_parts(self):
        last = self.trace.last
        parts = [(f"{self.title} {last:.3f}" if last is not None else self.title, COLORS["loss"])]
        if self.epochs:
            logs = self.epochs[-1][1]
            parts += [(f"{k} {logs[k]:.3f}", COLORS[k]) for k in ("val_loss", "val_acc") if k in logs]
        return parts


def _pool(positions, values, most):
    """Average neighbouring points so no more than ``most`` are drawn: pixels, not points, cost."""
    group = -(-len(values) // most)
    if group <= 1:
        return positions, values
    usable = len(values) // group * group
    return (positions[:usable].reshape(-1, group).mean(axis=1),
            values[:usable].reshape(-1, group).mean(axis=1))


def _nice_ceiling(value):
    """The next 1, 2, 2.5 or 5 times a power of ten: tidy axis labels."""
    power = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _current_sketch():
    import py5

    return py5.get_current_sketch()
