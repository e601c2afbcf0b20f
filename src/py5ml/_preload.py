"""``preload()``: import torch (and what a sketch needs) on a thread while the window opens.

``import torch`` takes seconds. A sketch that imports it in ``setup()`` shows nothing until it is
done; p5.js shows its first frame in well under a second. So a sketch asks for the heavy parts
up front, opens its window at once with a status line ("loading torch…"), and starts the
machine learning on the first frame where ``is_ready`` is true, like ordering at a restaurant
before sitting down.
"""

import importlib
import sys
import threading
import traceback

from ._checks import check_choice
from ._errors import DataError
from .clock._long_lived import freeze_long_lived

__all__ = ["preload", "Preload"]

_WINDOW_WAIT = 10.0  # seconds to wait for a first frame that may never come (class-mode sketches)

# What each feature imports, in order, with the status line shown meanwhile.
FEATURES = {
    "torch": [("torch", "loading torch…")],
    "network": [("torch", "loading torch…"), ("py5ml.network._neural_network", "loading the network…")],
    "training": [("torch", "loading torch…"), ("py5ml.training._fit", "loading fit…")],
    "vision": [("torch", "loading torch…"), ("torchvision", "loading torchvision…"),
               ("py5ml.vision._feature_extractor", "loading the feature extractor…")],
}


class Preload:
    """A handle on the loading thread, polled from ``draw()`` like a ``Py5Promise``.

    ``is_ready`` is true once every import (and ``then()``, if given) is done; ``status`` is the
    line to show meanwhile; ``result`` is what ``then()`` returned; ``error`` is the exception
    if loading failed (it is also printed once, with its traceback).
    """

    def __init__(self, steps, then=None, first_frame=None):
        self.status = steps[0][1] if steps else "loading…"
        self.result = None
        self.error = None
        self._steps, self._then = steps, then
        self._first_frame = first_frame  # an Event set when the window has shown its first frame
        self._done = threading.Event()

    @property
    def is_ready(self) -> bool:
        return self._done.is_set() and self.error is None

    @property
    def is_done(self) -> bool:
        """Finished, ready or failed."""
        return self._done.is_set()

    def wait(self, timeout=None) -> bool:
        """Block until loading finishes (for scripts and tests); returns ``is_ready``."""
        self._done.wait(timeout)
        return self.is_ready

    def _run(self):
        if self._first_frame is not None:  # let the window open first: one thread holds the GIL
            self._first_frame.wait(_WINDOW_WAIT)
        try:
            for module, status in self._steps:
                self.status = status
                importlib.import_module(module)
            if self._then is not None:
                self.status = "getting ready…"
                self.result = self._then()
            freeze_long_lived("preloaded")  # torch's quarter-million objects: out of the GC's sweeps
            self.status = "ready"
        except BaseException as e:  # shown on screen by the sketch, printed once here
            self.error = e
            self.status = f"loading failed: {type(e).__name__}: {e}"
            print("py5ml: preloading failed:", file=sys.stderr)
            traceback.print_exc()
        finally:
            self._done.set()


def preload(*features, then=None) -> Preload:
    """Import the heavy parts of ``features`` on a background thread; returns a ``Preload``.

    Call it at the top of a sketch, before ``setup()``. The window opens at once and the imports
    start right after its first frame; ``draw()`` shows ``loading.status`` until
    ``loading.is_ready``, then starts the real work.

    Example::

        import py5, py5ml

        loading = py5ml.preload("network")  # torch loads while the window opens
        nn = None

        def setup():
            py5.size(400, 200)

        def draw():
            global nn
            py5.background(0)
            if not loading.is_ready:
                py5.text(loading.status, 20, 100)  # "loading torch…"
                return
            if nn is None:
                nn = py5ml.NeuralNetwork(inputs=2, outputs=["a", "b"])
            py5.text("ready", 20, 100)

        py5.run_sketch()

    Args:
        features: any of ``"torch"``, ``"network"`` (``NeuralNetwork``), ``"training"``
            (``fit``), ``"vision"`` (torchvision and ``feature_extractor``); default ``"torch"``.
        then: a function run on the loading thread after the imports (load data, build a
            model: no drawing and no ``start_task`` there); its return value is ``result``.
    """
    steps = []
    for feature in features or ("torch",):
        for step in FEATURES[check_choice(feature, "preload feature", list(FEATURES))]:
            if step not in steps:
                steps.append(step)
    if then is not None and not callable(then):
        raise DataError(f"then must be a function to run once loaded, like then=load_data, not {then!r}.")
    loading = Preload(steps, then, _first_frame_event())
    threading.Thread(target=loading._run, name="py5ml-preload", daemon=True).start()
    return loading


def _first_frame_event():
    """An Event the current py5 sketch sets after its first ``draw()``; None without py5.

    Importing torch while py5 opens its window would make both wait for the GIL, so the
    imports start right after the first frame (or after ``_WINDOW_WAIT`` if none comes).
    """
    py5 = sys.modules.get("py5")
    if py5 is None:
        return None
    sketch = py5.get_current_sketch()
    if sketch.is_running or sketch.is_dead:  # preload() from setup() or draw(): no need to wait
        return None
    drawn = threading.Event()
    sketch._add_post_hook("draw", "py5ml_preload", lambda s: drawn.set())
    return drawn
