"""Flags every py5ml sketch shares: ``--frames N`` to stop by itself, ``--screenshot PATH``.

They let a test (or a README build) run any sketch for a few frames and keep a picture of it:

    python sketches/color_classifier.py --frames 60 --screenshot out/color.png

``finish_after`` does the work inside the sketch with py5 hooks that run after ``draw()``,
so sketches need no extra code in ``draw()`` itself.
"""

import argparse
import os
import shlex
import sys
from pathlib import Path

from .._checks import check_int, check_path, quote
from .._errors import ArgumentError
from ..live._session import sync_draw

HOOK_NAME = "py5ml_finish_after"


def parse_sketch_args(description="", *, add_arguments=None, argv=None):
    """Read the command-line flags a sketch was started with.

    Always understood: ``--frames N`` (exit after N frames; default: run forever) and
    ``--screenshot PATH`` (save the last frame as PATH when the sketch ends).

    Args:
        description: one line about the sketch, shown by ``--help``.
        add_arguments: a function ``add_arguments(parser)`` that adds the sketch's own flags.
        argv: the flags to read (default: the real command line, ``sys.argv[1:]``; under
            ``py5-live-coding``, or when it is set, ``$PY5ML_ARGS``).

    Example::

        import py5
        from py5ml import finish_after, parse_sketch_args

        args = parse_sketch_args("Bouncing ball", add_arguments=lambda p: p.add_argument("--speed", type=float, default=2))

        def setup():
            py5.size(300, 200)
            finish_after(args.frames, args.screenshot)

        def draw():
            py5.background(30)
            py5.circle(py5.frame_count * args.speed % py5.width, 100, 40)

        py5.run_sketch()
    """
    parser = argparse.ArgumentParser(description=description or None)
    parser.add_argument("--frames", type=_positive_int, default=None, metavar="N",
                        help="exit after N frames (default: run until the window is closed)")
    parser.add_argument("--screenshot", type=Path, default=None, metavar="PATH",
                        help="save the last frame to PATH (.png) when the sketch ends")
    if add_arguments is not None:
        add_arguments(parser)
    return parser.parse_args(_command_line() if argv is None else argv)


def _command_line():
    """The sketch's flags: ``sys.argv``, or ``$PY5ML_ARGS`` when a launcher owns the command line.

    ``py5-live-coding sketch.py`` takes no flags for the sketch, so there
    ``PY5ML_ARGS="--frames 600 --screenshot out/a.png" py5-live-coding sketch.py`` passes them.
    """
    if "PY5ML_ARGS" in os.environ or sync_draw() is not None:
        return shlex.split(os.environ.get("PY5ML_ARGS", ""))
    return sys.argv[1:]


def _positive_int(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of frames; try --frames 60")
    return n


def finish_after(frames, screenshot=None, *, sketch=None, on_finish=None):
    """Stop the sketch after ``frames`` frames and save a screenshot of its last frame.

    Call it in ``setup()`` (or before ``run_sketch()``). After ``draw()`` has run ``frames``
    times it calls ``on_finish()``, saves ``screenshot`` (making its folder) and exits.
    With ``frames=None`` the sketch runs until closed, and the screenshot is saved as it ends
    (when py5 can still read the window; otherwise it prints why there is no screenshot).
    Sketches without a ``draw()`` finish right after ``setup()``.

    Args:
        frames: how many frames to run, or None to run until the window is closed.
        screenshot: where to save the last frame (a .png path), or None.
        sketch: the py5 Sketch (class mode); default: the current sketch.
        on_finish: a function to call once before saving and exiting, e.g. to save a model.

    Example::

        import py5
        from py5ml import finish_after

        def setup():
            py5.size(200, 200)
            finish_after(30, "out/last_frame.png")

        def draw():
            py5.background(py5.frame_count * 8 % 255)

        py5.run_sketch()
    """
    if frames is None and screenshot is None and on_finish is None:
        return
    _check_finish_args(frames, screenshot, on_finish)
    if sketch is None:
        import py5  # here, not at the top: importing py5 needs a display
        sketch = py5.get_current_sketch()
    hook = _FinishHook(frames, screenshot, on_finish)
    sketch._add_post_hook("draw", HOOK_NAME, hook)
    sketch._add_post_hook("setup", HOOK_NAME, hook.after_setup)


def _check_finish_args(frames, screenshot, on_finish):
    if frames is not None:
        check_int(frames, "frames", low=1, error=ArgumentError)
    if screenshot is not None:
        check_path(screenshot, "screenshot", error=ArgumentError)
    if on_finish is not None and not callable(on_finish):
        raise ArgumentError(f"on_finish must be a function to call once at the end, not {quote(on_finish)}.")


class _FinishHook:
    """Runs after each draw(); py5 also calls ``sketch_terminated()`` when the sketch ends."""

    def __init__(self, frames, screenshot, on_finish):
        self.frames = frames
        self.screenshot = None if screenshot is None else Path(screenshot)
        self.on_finish = on_finish
        self.sketch = None
        self.is_finished = False

    def __call__(self, sketch):
        self.sketch = sketch
        if self.frames is not None and not self.is_finished and sketch.frame_count >= self.frames:
            self.finish(sketch)

    def after_setup(self, sketch):
        self.sketch = sketch
        if not _has_draw(sketch) and self.frames is not None:
            self.finish(sketch)

    def finish(self, sketch):
        self.is_finished = True
        _safely(self.on_finish, "on_finish")
        self.save(sketch)
        # py5's live coding turns exit_sketch() into a pause; --frames means exit.
        _safely(getattr(sketch, "real_exit_sketch", sketch.exit_sketch), "exit_sketch")

    def save(self, sketch):
        if self.screenshot is not None:
            _safely(lambda: _save(sketch, self.screenshot), f"saving the screenshot {self.screenshot}")
            self.screenshot = None  # once is enough

    def sketch_terminated(self):
        if self.is_finished or self.sketch is None:
            return
        self.is_finished = True
        _safely(self.on_finish, "on_finish")
        self.save(self.sketch)


def _save(sketch, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    sketch.save_frame(str(path), use_thread=False)


def _has_draw(sketch):
    bridge = getattr(sketch, "_py5_bridge", None)
    return bridge is None or "draw" in getattr(bridge, "_functions", {"draw": None})


def _safely(fn, what):
    """Call fn; report an error instead of raising (an error in a hook would stop the sketch)."""
    if fn is None:
        return
    try:
        fn()
    except Exception as e:
        print(f"py5ml.finish_after: {what} failed: {type(e).__name__}: {e}", file=sys.stderr)
