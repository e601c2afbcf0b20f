"""Keeping Python's full garbage collections out of the frame loop.

Python's cycle collector now and then sweeps *every* object it tracks. With torch and py5 loaded
that is a quarter of a million objects and 80-150 ms on this machine: a visible hitch in the
animation, taken on whichever thread allocated last (often the training thread, between frames,
holding the GIL while ``draw()`` waits). Almost all of those objects live as long as the sketch:
modules, classes, the model. ``gc.freeze()`` moves them out of the collector's sight, so later
sweeps only look at what was made since, like a librarian who stops re-shelving the reference
section every night.

It costs nothing (a list splice) and frees nothing: garbage cycles that exist at that moment stay
(a one-time, bounded amount), while everything else is freed by reference counting as before.
"""

import gc

__all__ = ["freeze_long_lived"]

_moments = set()


def freeze_long_lived(moment: str) -> bool:
    """Freeze what exists now, once per ``moment`` ("first frame", "preloaded", "first fit");
    True if it froze."""
    if moment in _moments:
        return False
    _moments.add(moment)
    gc.freeze()
    return True
