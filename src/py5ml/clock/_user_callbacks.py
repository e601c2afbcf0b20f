"""Call a sketch's callback in the shape it was written: ml5 0.x's ``(error, results)``, or not.

Coding Train sketches write ``def got_results(error, results):`` (ml5 0.x, the videos); newer
ones write ``def got_results(results):``; ``def finished():`` takes nothing. py5ml reads the
callback's parameters and calls it the way it expects, so a sketch ports line for line.

Example::

    def got_results(error, results):   # ml5 0.x style
        if error:
            print(error)
            return
        print(results[0]["label"])

    def got_results(results):          # py5ml / ml5 1.x style: errors are reported for you
        print(results[0]["label"])
"""

import inspect

from ..live._latest import current_version

__all__ = ["call_back", "takes_error_first"]


def takes_error_first(callback) -> bool:
    """True for ``f(error, results)``: two or more positional parameters without defaults."""
    return _positional_count(callback) >= 2


def call_back(callback, result=None, error=None):
    """Call ``callback`` as ``(error, result)``, ``(result)`` or ``()``, by its parameters.

    A callback that takes no error is not called when there is one: the error is raised, so the
    caller reports it once (the scheduler prints it and the sketch keeps running).
    """
    if callback is None:
        if error is not None:
            raise error
        return None
    callback = current_version(callback)  # live coding: the function's newest version
    count = _positional_count(callback)
    if count >= 2:
        return callback(error, result)
    if error is not None:
        raise error
    return callback(result) if count == 1 else callback()


def _positional_count(callback) -> int:
    """How many positional arguments the callback needs; 1 when it takes ``*args`` or can't be read."""
    try:
        params = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):  # some builtins have no signature: give them the result
        return 1
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return 1
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    return len(required) if required else min(len(positional), 1)
