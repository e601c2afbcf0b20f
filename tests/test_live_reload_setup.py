"""After a fixed error, the new ``setup()`` runs once, whichever thread py5 reloads on.

py5's live coding reloads a fixed file on a helper thread. That thread marks setup() as due, and
only a moment later clears the error. If the animation thread draws a frame in between, py5
calls setup() through its wrapper while the error still shows, and the wrapper skips it. That
race failed tests/test_live_coding.py under load (setup version=5 never printed). These tests
play that interleaving step by step with py5's own ``SyncDraw`` and ``UserFunctionWrapper``;
only the Java sketch is a stand-in. The frame's order is py5's: its pre-draw hook, then py5ml's.
"""

import sys
import types

import pytest
from py5_tools.live_coding import syncing

from py5ml.live._reload import watch_reloads


class FakeSketch:
    """What SyncDraw and py5ml's watch touch of a py5 Sketch, recorded."""

    def __init__(self):
        self.pre_draw_hooks, self.calls = [], []
        self._instance = types.SimpleNamespace(
            _resetSyncSketch=lambda: self.calls.append("reset"),
            buildPy5Bridge=lambda *args: None,
        )
        self._py5_bridge = types.SimpleNamespace(set_functions=lambda *args: None)
        self._environ = types.SimpleNamespace(in_ipython_session=False, in_jupyter_zmq_shell=False)

    def _add_pre_hook(self, name, hook_name, hook):
        assert name == "draw"
        self.pre_draw_hooks.append(hook)

    def _init_math_mixin(self):
        pass

    def stop_all_threads(self, wait=False):
        pass

    def loop(self):
        pass

    def frame(self, controller):
        """The animation thread's next frame, up to draw(): py5's pre-draw hook, then the others."""
        controller.pre_draw_hook(self)
        for hook in self.pre_draw_hooks:
            hook(self)


@pytest.fixture
def live(monkeypatch):
    """A live-coding controller after the first load, showing an error, and py5ml watching it."""
    sketch = FakeSketch()
    bridge = types.SimpleNamespace(handle_exception=lambda *args: None)  # py5's wrapper imports it
    monkeypatch.setitem(sys.modules, "py5", types.SimpleNamespace(get_current_sketch=lambda: sketch, bridge=bridge))
    monkeypatch.setitem(sys.modules, "py5.bridge", bridge)
    monkeypatch.setattr(syncing.UserFunctionWrapper, "running_state", False)  # the error shows
    ran = []
    controller = syncing.SyncDraw(syncing.LIVE_CODING_GLOBALS, global_namespace={},
                                  always_rerun_setup=True, archive_dir=".")
    controller.startup = False
    controller.user_setup_code = "def setup(): pass\n"

    def reload_the_fix(s, draw_a_frame_midway):
        """py5's order when the fix is found on the helper thread: new functions, mark setup()
        as due, and only then clear the error."""
        def setup():
            ran.append("setup")
        controller.functions = {"setup": syncing.UserFunctionWrapper(s, "setup", setup, 0)}
        controller._process_new_functions(s)
        if draw_a_frame_midway:
            s.frame(controller)
        syncing.UserFunctionWrapper.running_state = True
        return True

    controller.keep_functions_current_from_globals = reload_the_fix
    watch_reloads(controller)  # wraps the reload, as py5ml does when a sketch keeps something
    return sketch, controller, ran


def test_a_frame_drawn_mid_reload_does_not_lose_the_new_setup(live):
    sketch, controller, ran = live
    controller.keep_functions_current_from_globals(sketch, True)
    assert ran == []  # py5 called setup() while the error showed, and its wrapper skipped it
    assert controller.run_setup_again is False  # ... and py5 counts it as done
    sketch.frame(controller)
    assert ran == ["setup"]
    for _ in range(3):
        sketch.frame(controller)
    assert ran == ["setup"]


def test_without_the_race_setup_runs_once_from_py5_itself(live):
    sketch, controller, ran = live
    controller.keep_functions_current_from_globals(sketch, False)
    for _ in range(4):
        sketch.frame(controller)
    assert ran == ["setup"]
    assert sketch.calls.count("reset") == 1  # py5's own rerun: py5ml did not run it a second time
