"""Is py5's live coding on, and where does it keep the sketch's globals?

py5's live coding (``py5-live-coding sketch.py``, or ``py5_tools.live_coding.activate()`` in
Jupyter) gives the running sketch a controller, its "sync draw". On every save it clears the
sketch's globals in place and runs the file again; py5ml, an installed library, is not
reimported, so what py5ml holds lives on. Outside live coding every function here says "no".
"""

import sys

__all__ = ["sync_draw", "in_ipython", "reload_count", "is_sketch_namespace", "py5_running_state"]


def sync_draw():
    """py5's live-coding controller of the current sketch, or None when not live coding."""
    py5 = sys.modules.get("py5")
    if py5 is None:
        return None
    try:
        return py5.get_current_sketch()._get_sync_draw()
    except Exception:  # no sketch, or a py5 without live coding
        return None


def in_ipython() -> bool:
    """True inside a Jupyter/IPython kernel, where cells are run again like saves of a file."""
    ipython = sys.modules.get("IPython")
    try:
        return ipython is not None and ipython.get_ipython() is not None
    except Exception:
        return False


def reload_count() -> int:
    """How many times py5 has (re)loaded the code: 0 when not live coding."""
    controller = sync_draw()
    return 0 if controller is None else controller.update_count


def is_sketch_namespace(namespace) -> bool:
    """True if ``namespace`` is the live sketch's globals (file mode) or Jupyter's ``__main__``."""
    controller = sync_draw()
    if controller is not None and controller.global_namespace is namespace:
        return True
    return in_ipython() and namespace.get("__name__") == "__main__"


def py5_running_state() -> bool:
    """False while py5's live coding shows an error and waits for a fix (globals may be empty)."""
    syncing = sys.modules.get("py5_tools.live_coding.syncing")
    return True if syncing is None else bool(syncing.UserFunctionWrapper.running_state)
