"""A kept network's ``train()`` after a save: the same training goes on, or restarts on a change.

py5 runs ``setup()`` again after each save, and ``setup()`` usually calls ``nn.train(...)``. For a
kept network that would throw away the progress; instead, the first ``train()`` after a reload
with the same settings returns the task that is already running (or finished). With different
settings (epochs, batch size, the network's shape or data), training restarts, with one line.
A ``train()`` called again in the same version (a key press) once the training has finished
trains again, as always.
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
    if handle is None or previous is None:
        return None  # the first training
    same, reloaded = previous[0] == settings, previous[1] != count
    if same and (reloaded or handle.is_running):
        return handle  # never two trainings of one network; after a save, the same one goes on
    if not reloaded or not handle.is_running:
        return None  # a deliberate new training (a key press), or the last one has finished
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
