"""``NeuralNetwork.train()``'s arguments, read the ml5 way or the py5ml way and checked at the call.

ml5 sketches write ``train(options, while_training, when_done)``, ``train(options, when_done)``,
``train(while_training, when_done)`` or ``train(when_done)``; py5ml also takes keywords
(``train(epochs=32, when_done=finished)``). Every setting is checked here, before training
starts, so a mistake is reported at the line that made it.

Callbacks are called in the shape they were written (see ``clock/_user_callbacks``):
``while_training(epoch, logs)``, ``while_training(logs)`` or ``while_training()``, and
``when_done()``, ``when_done(history)`` or ``when_done(error, history)``.

Example::

    nn.train({"epochs": 32, "batch_size": 12}, while_training, finished_training)
"""

from __future__ import annotations

import inspect

from .._checks import check_int, check_number, quote
from .._errors import DataError
from ..training._callbacks import Callback, LambdaCallback
from ._options import CAMEL_CASE, train_defaults
from ..live._latest import latest

__all__ = ["train_settings"]

SETTINGS = ("epochs", "batch_size", "validation_split", "shuffle", "yield_every")


def train_settings(args: tuple, keywords: dict) -> dict:
    """``{"epochs", "batch_size", ..., "while_training", "when_done", "callbacks"}``, all checked."""
    options, while_training, when_done = _positional(args)
    for key in options:
        if key in CAMEL_CASE:
            raise DataError(f"train(): ml5's {key!r} is called {CAMEL_CASE[key]} in py5ml: use "
                            f"{CAMEL_CASE[key]}={quote(options[key], 30)}.")
        if key not in SETTINGS:
            raise DataError(f"train() has no option {quote(key)}. The options are: {', '.join(SETTINGS)}.")
    given = {k: v for k, v in keywords.items() if v is not None and k in SETTINGS}
    clash = set(options) & set(given)
    if clash:
        raise DataError(f"train() got {', '.join(sorted(clash))} twice: in the options dict and as a keyword.")
    settings = {**train_defaults(), "shuffle": True, "yield_every": "auto", **options, **given}
    while_training = _one(while_training, keywords.get("while_training"), "while_training")
    when_done = _one(when_done, keywords.get("when_done"), "when_done")
    return {**_checked(settings), "while_training": while_training, "when_done": when_done,
            "callbacks": _callbacks(keywords.get("callbacks", ()), while_training)}


def _positional(args):
    if len(args) > 3:
        raise DataError(f"train() takes at most 3 arguments (options, while_training, when_done), got {len(args)}.")
    options = {}
    if args and isinstance(args[0], dict):
        options, args = dict(args[0]), args[1:]
    for a in args:
        if not callable(a):
            raise DataError(f"train()'s arguments are an options dict, then functions; got {quote(a)}. "
                            "Like train({'epochs': 32}, while_training, finished_training).")
    if len(args) == 2:
        return options, args[0], args[1]
    return options, None, (args[0] if args else None)


def _one(positional, keyword, name):
    if positional is not None and keyword is not None:
        raise DataError(f"train() got {name} twice: as an argument and as {name}=.")
    value = positional if positional is not None else keyword
    if value is not None and not callable(value):
        raise DataError(f"{name} must be a function, like {name}=finished_training, not {quote(value)}.")
    return value


def _checked(s):
    epochs = check_int(s["epochs"], "epochs", low=1, high=10_000_000)
    batch_size = check_int(s["batch_size"], "batch_size", low=1, high=10_000_000)
    split = check_number(s["validation_split"], "validation_split", low=0, high=1, high_open=True)
    if not isinstance(s["shuffle"], bool):
        raise DataError(f"shuffle must be True or False, not {quote(s['shuffle'])}.")
    yield_every = s["yield_every"]
    if yield_every not in ("auto", "batch", "epoch"):
        yield_every = check_number(yield_every, "yield_every (or 'auto', 'batch', 'epoch')", low=0, low_open=True)
    return {"epochs": epochs, "batch_size": batch_size, "validation_split": split,
            "shuffle": s["shuffle"], "yield_every": yield_every}


def _callbacks(callbacks, while_training):
    if isinstance(callbacks, Callback) or not isinstance(callbacks, (list, tuple)):
        raise DataError(f"callbacks must be a list of Callback objects, like callbacks=[graph], not {quote(callbacks)}.")
    for c in callbacks:
        if not isinstance(c, Callback):
            raise DataError(f"Each callback must be a py5ml Callback (like LossGraph), not {quote(c)}; "
                            "for a plain function use while_training=.")
    extra = [LambdaCallback(on_epoch_end=_epoch_caller(while_training))] if while_training else []
    return [*callbacks, *extra]


def _epoch_caller(fn):
    """``fn(epoch, logs)``, ``fn(logs)`` or ``fn()``, by how many arguments it takes."""
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
        varargs = any(p.kind is p.VAR_POSITIONAL for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return fn
    if varargs or len(params) >= 2:
        return fn
    newest = latest(fn)  # live coding: each call runs the newest version of the sketch's function
    if len(params) == 1:
        return lambda epoch, logs: newest(logs)
    return lambda epoch, logs: newest()
