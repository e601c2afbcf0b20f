"""Hooks around py5's reload, so py5ml's tasks never see the sketch half-loaded.

py5 reloads the file in two places: after ``draw()`` on the animation thread (a normal save),
and, while the sketch shows an error, on a helper thread every 10 ms (the fix of a syntax
error). Between clearing the globals and running the last line of the file, the sketch's
names are missing, so py5ml holds its tasks (``tasks_on_hold``) until the reload is over.

Two py5 quirks are smoothed here. Both reload paths can run at once after an error is fixed,
which runs the file twice, concurrently; a lock makes them take turns. And then py5 sometimes
skips ``setup()`` (about 1 save in 8 under load), or calls it on the animation thread a moment
before the helper thread clears the error, when py5's wrapper still skips it (the live-coding
test lost one that way in 2 of 6 runs with 3 test workers on 2 cores). py5ml notices that the
user's ``setup()`` did not run, and runs it before the next ``draw()``.
"""

import functools
import gc
import threading

from ._session import py5_running_state, sync_draw

__all__ = ["watch_reloads", "tasks_on_hold"]

_ATTR = "_py5ml_reload_watch"


def watch_reloads(controller=None):
    """Install the hooks on py5's live-coding controller once; returns the watch, or None."""
    controller = controller if controller is not None else sync_draw()
    if controller is None:
        return None
    watch = getattr(controller, _ATTR, None)
    if watch is None:
        watch = _ReloadWatch(controller)
        setattr(controller, _ATTR, watch)
    return watch


def tasks_on_hold() -> bool:
    """True while py5 reloads the sketch or waits for an error to be fixed."""
    controller = sync_draw()
    if controller is None:
        return False
    watch = getattr(controller, _ATTR, None)
    return (watch is not None and watch.is_reloading) or not py5_running_state()


class _ReloadWatch:
    def __init__(self, controller):
        self.controller = controller
        self.lock = threading.RLock()
        self.is_reloading = False
        self.setup_pending = False
        for method in ("keep_functions_current_from_file", "keep_functions_current_from_globals"):
            original = getattr(controller, method)  # bound method; the instance attribute shadows it
            setattr(controller, method, self._wrap(original))
        controller._process_new_functions = self._watch_setup(controller._process_new_functions)
        import py5  # live coding runs inside py5, so it is imported already

        py5.get_current_sketch()._add_pre_hook("draw", "py5ml_live", self.before_draw)

    def _wrap(self, reload):
        def reload_in_turn(sketch, *args, **kwargs):
            with self.lock:
                self.is_reloading = True
                # What exists now (torch, py5, the kept models) will live on: freeze it out of the
                # garbage collector's way, so the reload's garbage never sets off a full
                # collection of it (75 ms or more with torch loaded: a visible hitch).
                gc.freeze()
                try:
                    return reload(sketch, *args, **kwargs)
                finally:
                    self.is_reloading = False
        return reload_in_turn

    def _watch_setup(self, process_new_functions):
        """Mark the new ``setup()`` before py5 may run it, to know whether it really ran."""
        def process(sketch):
            setup = self.controller.functions.get("setup")
            if setup is not None and getattr(setup, "f", None) is not None and not self.controller.startup:
                self.setup_pending = True  # (not on the first load: py5 starts the sketch then)
                setup.f = _noting_it_ran(setup.f, self)
            process_new_functions(sketch)
            if not self.controller.run_setup_again:
                self.setup_pending = False  # not due (the first load, or -s and setup unchanged), or done
        return process

    def before_draw(self, sketch):
        """Pre-draw hook (after py5's own): run a ``setup()`` py5 skipped after a reload."""
        controller = self.controller
        if not self.setup_pending or controller.run_setup_again or self.is_reloading or not py5_running_state():
            return
        sketch._instance._resetSyncSketch()
        sketch._init_math_mixin()
        controller.functions["setup"]()


def _noting_it_ran(user_setup, watch):
    """The user's ``setup()``, telling ``watch`` when it runs. py5 calls it through a wrapper that
    skips it while an error is shown, so being called by py5 is not enough: it must run."""
    @functools.wraps(user_setup)  # py5 reads the source through it, to see if setup() changed
    def setup(*args):
        watch.setup_pending = False
        return user_setup(*args)
    return setup
