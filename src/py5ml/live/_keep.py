"""``keep(name, make)``: the same object after every save of a live-coded sketch.

Live coding runs the whole sketch file again on every save, so ``nn = NeuralNetwork(...)`` would
make a fresh, untrained network each time. ``keep`` is a cloakroom: the first run hands ``make``'s
result in under a name, and every later run gets the same object back. Its training goes on, its
examples stay, a camera stays open, data is not loaded again.

If the code or arguments that make it change (say ``hidden_units=16`` becomes ``32``), the kept
object no longer matches the code: ``keep`` stops its training, says so in one line and makes a
new one. Outside live coding (a plain ``python sketch.py``) ``keep`` just calls ``make``.
"""

import inspect
import re
import sys

from .._errors import Py5mlError
from ._reload import watch_reloads
from ._session import in_ipython, sync_draw

__all__ = ["keep", "forget", "is_live_coding"]

_KERNEL_STORE = {}  # Jupyter: one store for the kernel's life (cells run again like saves)


def keep(name, make, *args, **kwargs):
    """Make an object once and get the same one back after every reload of the sketch.

    Example (run it with ``py5-live-coding sketch.py``, then edit ``draw()`` and save)::

        import py5, py5ml

        def make_network(colors):
            nn = py5ml.NeuralNetwork(inputs=["r", "g", "b"], outputs=list(py5ml.COLOR_LABELS))
            for rgb, label in zip(colors.rgb, colors.labels):
                nn.add_data(rgb, label)
            nn.normalize_data(0, 255)
            return nn

        colors = py5ml.keep("colors", py5ml.load_color_data)  # loaded once, not on every save
        nn = py5ml.keep("nn", make_network, colors)  # its examples and training are kept
        graph = py5ml.keep("graph", py5ml.LossGraph, 20, 20, 360, 160)

        def setup():
            py5.size(400, 200)
            nn.train(epochs=50, callbacks=[graph])  # after a save: the same training goes on

        def draw():
            py5.background(40)
            graph.draw()

        py5.run_sketch()

    Args:
        name: a name for the object, unique in the sketch.
        make: a function or class that makes it, called as ``make(*args, **kwargs)``.

    Raises:
        Py5mlError: ``name`` is not a non-empty string, or ``make`` cannot be called.
    """
    _check(name, make)
    store = _store()
    if store is None:
        return make(*args, **kwargs)
    stamp = _fingerprint(make, args, kwargs, store)
    entry = store.get(name)
    if entry is not None and entry[1] == stamp:
        return entry[0]
    value = make(*args, **kwargs)  # if this raises, the kept object stays as it was
    if entry is not None:
        _retire(name, entry[0])
    store[name] = (value, stamp)
    return value


def forget(name=None) -> None:
    """Drop the kept object ``name`` (or all of them) so the next ``keep`` makes a new one."""
    store = _store()
    if store is None:
        return
    for key in [name] if name is not None else list(store):
        entry = store.pop(key, None)
        if entry is not None:
            _stop(entry[0])


def is_live_coding() -> bool:
    """True when the sketch runs under py5's live coding (``py5-live-coding`` or Jupyter's)."""
    return sync_draw() is not None


def _store():
    controller = sync_draw()
    if controller is not None:
        watch_reloads(controller)
        if not in_ipython():
            if not hasattr(controller, "_py5ml_kept"):
                controller._py5ml_kept = {}
            return controller._py5ml_kept
    return _KERNEL_STORE if in_ipython() else None


def _check(name, make):
    if not isinstance(name, str) or not name:
        raise Py5mlError(f'keep() needs a name first, like keep("nn", make_network), not {name!r}.')
    if not callable(make):
        raise Py5mlError(
            f"keep({name!r}, ...) needs a function or class that makes the object, not {make!r}: "
            f"write keep({name!r}, make_it) without the parentheses, or keep({name!r}, lambda: ...)."
        )


def _fingerprint(make, args, kwargs, store):
    """What made the object: make's code (not its line numbers) and the arguments' values."""
    code = getattr(make, "__code__", None)
    what = _code_stamp(code) if code is not None else getattr(make, "__qualname__", repr(make))
    kept = {id(entry[0]): key for key, entry in store.items()}
    owner = getattr(make, "__self__", None)  # extractor.classification: whose method it is counts too
    if owner is not None:
        what = (what, _value_stamp(owner, kept))
    values = [_value_stamp(v, kept) for v in (*args, *sorted(kwargs.items()))]
    defaults = getattr(make, "__defaults__", None)
    return (what, tuple(values), _value_stamp(defaults, kept))


def _code_stamp(code):
    consts = tuple(_code_stamp(c) if inspect.iscode(c) else repr(c) for c in code.co_consts)
    return (code.co_code, consts, code.co_names)


def _value_stamp(value, kept):
    if id(value) in kept:  # another kept object: the same one, or one made again since
        return f"kept:{kept[id(value)]}:{id(value)}"
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        return (value[0], _value_stamp(value[1], kept))  # a keyword argument
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))  # objects' reprs hold their address


def _retire(name, old):
    _stop(old)
    print(f"py5ml: {name!r} is made differently now, so it starts again (training restarts).",
          file=sys.stdout, flush=True)


def _stop(old):
    """Cancel the old object's training and let go of its camera or threads."""
    handle = old if hasattr(old, "cancel") and hasattr(old, "is_running") else getattr(old, "task_handle", None)
    if handle is not None and getattr(handle, "is_running", False):
        handle.cancel()
    close = getattr(old, "close", None)
    if callable(close):
        try:
            close()
        except Exception as e:
            print(f"py5ml: closing the old {type(old).__name__} failed: {e}", file=sys.stderr)
