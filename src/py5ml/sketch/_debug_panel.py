"""``debug=True``: ml5's training panel, drawn by py5ml over the sketch after every ``draw()``.

The panel is a fit callback (it hears every batch and epoch) and a py5 post-draw hook (it draws
itself after your ``draw()``, so you call nothing). Like a car's dashboard, it shows the model
(layers, units, parameters), the loss of every batch, loss / val_loss / acc / val_acc after each
epoch and, when a classifier has finished, a confusion matrix: which labels it mixes up.
Press ``d`` to hide or show it (your own ``key_pressed`` still gets the key), or set
``nn.debug = False``.

Example::

    import py5, py5ml

    nn = py5ml.NeuralNetwork(inputs=["x", "y"], debug=True)

    def setup():
        py5.size(640, 400)
        for i in range(200):
            x, y = py5.random(1), py5.random(1)
            nn.add_data([x, y], "left" if x < 0.5 else "right")
        nn.train(epochs=30)             # the panel appears on the right and fills in as it learns

    def draw():
        py5.background(240)

    py5.run_sketch()
"""

from __future__ import annotations

import math
import sys
import time
import traceback

from ..clock._py5_hooks import find_sketch
from ..training._callbacks import Callback
from ._debug_plots import COLORS, ConfusionMatrixView, EpochCurves, confusion_matrix, model_summary
from ._loss_graph import LossGraph

__all__ = ["DebugPanel", "debug_callbacks"]

HOOK_NAME = "py5ml_debug_panel"
REFRESH_S = 0.2  # while training, the panel is redrawn five times a second


class DebugPanel(Callback):
    """The training panel: a fit callback that also draws itself after ``draw()``.

    Args:
        network: the ``NeuralNetwork`` it belongs to; its ``debug`` attribute shows or hides it.
        width: the panel's widest width in pixels (it sits on the right, on at most half a wide canvas).
        key: the key that hides and shows it.
    """

    def __init__(self, network=None, *, width=340, key="d"):
        self.network, self.width, self.key = network, width, key
        self.graph = LossGraph(title="loss per batch")
        self.curves = EpochCurves()
        self.summary, self.matrix, self.eval_data = [], None, None
        self.is_hidden = False
        self._key_was_down = False
        self._has_failed = False
        self._buffer, self._next_render, self.is_changing = None, 0.0, False
        self.origin = (0, 0)

    # -- callback side -------------------------------------------------------------------
    def set_model(self, model):
        super().set_model(model)
        self.summary = model_summary(model)
        self._next_render = 0.0

    def set_params(self, params):
        super().set_params(params)
        self.graph.set_params(params)

    def set_data(self, xs, ys, labels) -> None:
        """The examples and labels the confusion matrix is made from, after training."""
        self.eval_data = (xs, ys, list(labels))

    def on_train_begin(self, logs=None):
        self.graph.on_train_begin(logs)
        self.curves, self.matrix = EpochCurves(), None
        self.is_changing, self._next_render = True, 0.0

    def on_batch_end(self, batch, logs=None):
        self.graph.on_batch_end(batch, logs)
        self._changed()

    def on_epoch_end(self, epoch, logs=None):
        self.graph.on_epoch_end(epoch, logs)
        self.curves.add(logs)

    def on_train_end(self, logs=None):
        self.graph.on_train_end(logs)
        if self.eval_data is not None and self.model is not None:
            self.matrix = self._confusion()
        self.is_changing, self._next_render = False, 0.0  # draw the final state once, then keep it

    def _confusion(self):
        xs, ys, labels = self.eval_data
        held_out = self.params.get("samples", len(xs))
        if held_out < len(xs):  # fit validates on the last rows: judge the network on those
            return ConfusionMatrixView(confusion_matrix(self.model, xs[held_out:], ys[held_out:]), labels,
                                       f"validation ({len(xs) - held_out})")
        return ConfusionMatrixView(confusion_matrix(self.model, xs, ys), labels, f"training data ({len(xs)})")

    # -- showing ---------------------------------------------------------------------------
    @property
    def is_shown(self) -> bool:
        return not self.is_hidden and bool(getattr(self.network, "debug", True))

    def __call__(self, sketch):
        """py5's post-draw hook: toggle on the key, then draw. A failure is reported once."""
        try:
            self.poll_key(sketch.is_key_pressed, sketch.key)
            if self.is_shown:
                self.draw(sketch)
        except Exception:  # an exception in a hook would stop the user's sketch
            if not self._has_failed:
                self._has_failed = True
                print("py5ml: the debug panel failed and is hidden:", file=sys.stderr)
                traceback.print_exc()
            self.is_hidden = True

    def poll_key(self, is_down, key) -> None:
        """Toggle when ``key`` goes down; reading the key leaves it to the user's ``key_pressed``."""
        down = bool(is_down) and str(key).lower() == self.key
        if down and not self._key_was_down:
            self.is_hidden = not self.is_hidden
        self._key_was_down = down

    def draw(self, s=None) -> None:
        """Draw the panel on the right of sketch ``s`` (default: the current sketch).

        The panel is drawn into an off-screen image a few times a second, when something changed,
        and that image is pasted every frame: one ``image()`` call instead of a hundred.
        """
        s = s if s is not None else find_sketch()
        w = min(self.width, max(s.width // 2, 240), s.width)  # a small canvas keeps half of itself
        if self._buffer is None or (self._buffer.width, self._buffer.height) != (w, s.height):
            self._buffer, self._next_render = s.create_graphics(w, s.height), 0.0
        now = time.monotonic()
        if now >= self._next_render:
            self._render(self._buffer, w, s.height)
            self._next_render = now + REFRESH_S if self.is_changing else math.inf
        self.origin = (s.width - w, 0)
        s.image(self._buffer, *self.origin)

    def _render(self, g, w, h):
        g.begin_draw()
        g.no_stroke()
        g.fill(*COLORS["panel"])
        g.rect(0, 0, w, h)
        y = self._draw_header(g, 0, w)
        y = self._draw_summary(g, 12, y, w - 24)
        self._draw_plots(g, 0, y, w, h - y)
        g.end_draw()

    def _changed(self):
        self._next_render = min(self._next_render, time.monotonic() + REFRESH_S)

    def _draw_header(self, s, x, w):
        s.text_size(12)
        s.fill(*COLORS["text"])
        s.text_align(s.LEFT, s.TOP)
        s.text("debug: training", x + 12, 8)
        s.text_size(12)
        s.fill(*COLORS["dim"])
        s.text_align(s.RIGHT, s.TOP)
        s.text(f"press {self.key} to hide", x + w - 12, 10)
        return 32

    def _draw_summary(self, s, x, y, w):
        s.text_size(12)
        s.text_align(s.LEFT, s.TOP)
        s.fill(*COLORS["dim"])
        columns = (x, x + w * 0.62, x + w * 0.8)
        for text, cx in zip(("layer", "units", "params"), columns):
            s.text(text, cx, y)
        s.fill(*COLORS["text"])
        for i, row in enumerate(self.summary, start=1):
            for text, cx in zip(row, columns):
                s.text(str(text), cx, y + i * 13)
        total = sum(row[2] for row in self.summary)
        s.fill(*COLORS["dim"])
        s.text(f"{total:,} parameters" if self.summary else "the model appears when training starts",
               x, y + (len(self.summary) + 1) * 13 + 2)
        return y + (len(self.summary) + 2) * 13 + 12

    def _draw_plots(self, s, x, y, w, h):
        matrix_h = min(h * 0.45, w * 0.8) if self.matrix is not None else 0
        plot_h = max((h - matrix_h - 100) / 2, 24)
        g = self.graph
        g.x, g.y, g.w, g.h = x + 44, y + 26, w - 56, plot_h
        g.draw(s)
        curves_y = y + plot_h + 50 + 18
        self.curves.draw(s, x + 12, curves_y, w - 24, plot_h, self.params.get("epochs", 0))
        if self.matrix is not None:
            self.matrix.draw(s, x + 12, curves_y + plot_h + 10, w - 24, matrix_h)


def debug_callbacks(network, xs, ys, labels=None, *, sketch=None) -> list:
    """The callbacks ``train()`` adds when ``network.debug`` is on: one panel, drawn by a hook.

    The panel is kept on ``network.debug_panel`` and reused by later ``train()`` calls.
    """
    if not getattr(network, "debug", False):
        return []
    panel = getattr(network, "debug_panel", None) or DebugPanel(network)
    network.debug_panel = panel
    if labels:
        panel.set_data(xs, ys, labels)
    sketch = sketch if sketch is not None else find_sketch()
    if sketch is not None:
        sketch._add_post_hook("draw", HOOK_NAME, panel)
        _screenshot_last(sketch)
    return [panel]


def _screenshot_last(sketch):
    """Move ``finish_after``'s hook behind the panel, so ``--screenshot`` pictures the panel too."""
    from ._sketch_args import HOOK_NAME as FINISH

    hooks = getattr(getattr(sketch, "_py5_bridge", None), "_post_hooks", {}).get("draw")
    if hooks and FINISH in hooks:
        hooks[FINISH] = hooks.pop(FINISH)
