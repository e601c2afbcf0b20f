"""A kept network's ``train()`` after a save: the same training goes on, or restarts on a change.

py5 runs ``setup()`` again after each save, and ``setup()`` usually calls ``nn.train(...)``. For a
kept network that would throw away the progress; instead, the first ``train()`` after a reload
with the same settings returns the task that is already running (or finished). With different
settings (epochs, batch size, the network's shape or data), training restarts, with one line.
A ``train()`` called again without a reload in between (a key press) trains again, as always.
"""

import sys

from ._session import reload_count, sync_draw

__all__ = ["training_to_continue"]


def training_to_continue(owner, settings):
    """The ``Task`` ``owner.train(...)`` should give back instead of starting again, or None.

    ``settings`` is a dict of everything that shapes the training (compared with ``==``).
    """
    if sync_draw() is None:
        return None
    count, handle = reload_count(), getattr(owner, "task_handle", None)
    previous = getattr(owner, "_py5ml_live_training", None)
    owner._py5ml_live_training = (settings, count)
    if handle is None or previous is None or previous[1] == count:
        return None  # a first training, or a deliberate second one in the same version
    if previous[0] == settings:
        return handle
    if handle.is_running:
        handle.cancel()
    print(f"py5ml: the training settings changed ({_difference(previous[0], settings)}), so training starts again.",
          file=sys.stdout, flush=True)
    return None


def _difference(old, new):
    if isinstance(old, dict) and isinstance(new, dict):
        changed = [f"{k} {old.get(k)!r} -> {new.get(k)!r}" for k in new if old.get(k) != new.get(k)]
        if changed:
            return ", ".join(changed)
    return "new settings"
