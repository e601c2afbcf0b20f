"""``latest(fn)``: call the newest version of a sketch function, by its name.

Live coding runs the sketch file again on every save, so ``def while_training(...)`` makes a new
function each time, while a training that started three saves ago still holds the first one.
``latest`` is like calling a friend by name instead of keeping their old phone: each call looks
the name up in the sketch's globals, so edits to a callback apply on the next call.

py5ml does this for you with ``while_training``, ``when_done``, ``got_results``-style callbacks
and ``LambdaCallback``; call ``latest`` yourself for callbacks you store elsewhere.
"""

import inspect

from ._session import is_sketch_namespace

__all__ = ["latest", "current_version"]


def latest(fn):
    """Wrap a sketch function so each call runs its newest version (outside live coding: ``fn``).

    Example::

        import py5, py5ml

        def on_batch(batch, logs):           # edit this while the sketch runs: the edit applies
            print(batch, logs["loss"])

        report = py5ml.latest(on_batch)

        def setup():
            py5.size(200, 200)

        def draw():
            report(py5.frame_count, {"loss": 0.5})

        py5.run_sketch()

    Only module-level, non-async functions of the sketch are rebound; anything else (lambdas,
    methods, library functions) is returned as it is.
    """
    if isinstance(fn, _Latest) or not _is_rebindable(fn):
        return fn
    return _Latest(fn)


def current_version(fn):
    """The function ``fn``'s name means in the sketch now (``fn`` itself when not live coding)."""
    if isinstance(fn, _Latest):
        return fn.current()
    if _is_rebindable(fn):
        return _Latest(fn).current()
    return fn


def _is_rebindable(fn) -> bool:
    return (inspect.isfunction(fn) and not inspect.iscoroutinefunction(fn)
            and fn.__qualname__ == fn.__name__ and is_sketch_namespace(fn.__globals__))


class _Latest:
    """A name in the sketch's globals, called like the function it names."""

    def __init__(self, fn):
        self.fn, self.name, self.namespace = fn, fn.__name__, fn.__globals__
        self.__name__ = self.name  # so reports and repr read like the function's

    def current(self):
        found = self.namespace.get(self.name)
        # Renamed or deleted in the new code: the version we have is the best we can do.
        return found if callable(found) and not isinstance(found, _Latest) else self.fn

    def __call__(self, *args, **kwargs):
        return self.current()(*args, **kwargs)

    def __repr__(self):
        return f"<py5ml.latest {self.name}>"
