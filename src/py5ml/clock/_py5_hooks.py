"""Plugging the frame scheduler into a running py5 sketch.

py5 can run a function before and after the user's ``draw()`` (its pre/post-draw hooks). The
scheduler steps its tasks in the pre-draw hook, so every frame goes: tasks, then ``draw()``.
The sketch is found on its own in module mode, imported mode and class mode.
"""

import ctypes
import sys
import threading
import traceback

from ._long_lived import freeze_long_lived

__all__ = ["attach_to_sketch", "find_sketch"]

_HOOK_NAME = "py5ml_scheduler"


_kept_thread_states = set()


def keep_thread_state() -> None:
    """Keep the calling (Java) thread's Python thread state alive between py5's calls.

    py5 calls ``draw()`` from Java's animation thread, which has no Python thread state of its
    own, so Python makes a fresh one for every call. JPype 1.7 leaves a little of each behind
    (a ``_JAlloc`` class, ~2 KB a frame, ~7 MB a minute at 60 fps). One extra
    ``PyGILState_Ensure`` that is never released keeps one thread state for the thread's life.
    """
    ident = threading.get_ident()
    if ident in _kept_thread_states:
        return
    ctypes.pythonapi.PyGILState_Ensure.restype = ctypes.c_int
    ctypes.pythonapi.PyGILState_Ensure()
    _kept_thread_states.add(ident)


class _PreDraw:
    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.has_failed = False

    def __call__(self, sketch):
        keep_thread_state()
        freeze_long_lived("first frame")  # setup() has made what lives as long as the sketch
        try:
            self.scheduler.gate.close()
            if not _tasks_on_hold():
                self.scheduler.step()
            self.scheduler.budget.end_tasks()
        except Exception:  # a hook that raises would stop the sketch: report once instead
            if not self.has_failed:
                self.has_failed = True
                print("py5ml: the frame scheduler failed (tasks are paused):", file=sys.stderr)
                traceback.print_exc()

    def sketch_terminated(self):
        """py5 calls this when the sketch exits: end every task cleanly."""
        self.scheduler.close()


def _tasks_on_hold() -> bool:
    """Live coding: True while py5 reloads the sketch or shows an error (its globals may be empty)."""
    live = sys.modules.get("py5ml.live._reload")
    return live is not None and live.tasks_on_hold()


class _PostDraw:
    def __init__(self, scheduler):
        self.scheduler = scheduler

    def __call__(self, sketch):
        self.scheduler.budget.end_draw()
        self.scheduler.gate.open(deadline=self.scheduler.budget.training_deadline())


def find_sketch():
    """The py5 Sketch in play: ``self`` of a calling Sketch method, else py5's current sketch."""
    py5 = sys.modules.get("py5")
    if py5 is None:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, py5.Sketch):
            return candidate
        frame = frame.f_back
    current = py5.get_current_sketch()
    return None if current.is_dead else current


def attach_to_sketch(scheduler, sketch=None):
    """Pump ``scheduler`` from ``sketch``'s draw loop (found automatically when None)."""
    sketch = sketch if sketch is not None else find_sketch()
    if sketch is None or getattr(scheduler, "sketch", None) is sketch:
        return sketch
    sketch._add_pre_hook("draw", _HOOK_NAME, _PreDraw(scheduler))
    sketch._add_post_hook("draw", _HOOK_NAME, _PostDraw(scheduler))
    scheduler.sketch = sketch
    scheduler.trains_in_background = True  # py5 renders and sleeps between frames: room for a thread
    return sketch
