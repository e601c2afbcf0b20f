"""Callbacks: hooks that ``fit`` calls as training goes, with Keras's and TF.js's names.

A callback is like a sports commentator: ``fit`` plays the game, and at each moment
(train begins, epoch ends, batch ends, ...) it turns to every callback and says what happened
in a ``logs`` dict of plain floats: ``{"loss": 0.21, "acc": 0.93, "val_loss": ..., "val_acc": ...}``.
Any method may be ``async``; an async ``on_batch_end`` that awaits ``next_frame()`` lets
``draw()`` run after that batch, exactly like ``await tf.nextFrame()`` in the lesson.
"""

import inspect

from .._checks import quote
from .._errors import ArgumentError
from ..live._latest import latest

__all__ = ["Callback", "CallbackList", "History", "LambdaCallback"]

EVENTS = (
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
)


class Callback:
    """Base class: override the events you care about; the rest do nothing.

    ``self.model`` is the model being trained and ``self.params`` holds ``epochs``,
    ``steps`` (batches per epoch), ``batch_size`` and ``samples``. Set
    ``self.model.stop_training = True`` to stop after the current batch.

    Example::

        class PrintLoss(py5ml.Callback):
            def on_epoch_end(self, epoch, logs):
                print(f"epoch {epoch}: loss {logs['loss']:.3f}")
    """

    model = None
    params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...


class LambdaCallback(Callback):
    """A callback made of plain functions, TF.js style: ``LambdaCallback(on_batch_end=f)``.

    Example::

        async def on_batch_end(batch, logs):
            print(logs["loss"])
            await py5ml.next_frame()

        await py5ml.fit(model, xs, ys, callbacks=[py5ml.LambdaCallback(on_batch_end=on_batch_end)])
    """

    def __init__(self, **events):
        unknown = set(events) - set(EVENTS)
        if unknown:
            raise ArgumentError(f"LambdaCallback got {quote(sorted(unknown))}; the events are {', '.join(EVENTS)}, "
                                "like LambdaCallback(on_epoch_end=show).")
        for name, fn in events.items():
            setattr(self, name, latest(fn))  # live coding: each call runs the newest version


class History(Callback):
    """What ``fit`` returns: ``history.history["val_acc"]`` is a list with one float per epoch.

    ``history.batch_loss`` keeps every batch's loss, for plotting after the fact.
    """

    def __init__(self):
        self.history = {}
        self.epoch = []
        self.batch_loss = []

    def on_batch_end(self, batch, logs=None):
        self.batch_loss.append(logs["loss"])

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()}
        return f"<History epochs={len(self.epoch)} last={last}>"


class CallbackList:
    """Fans each event out to every callback, awaiting the async ones in order."""

    def __init__(self, callbacks, model, params):
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            cb.set_model(model) if hasattr(cb, "set_model") else setattr(cb, "model", model)
            cb.set_params(params) if hasattr(cb, "set_params") else setattr(cb, "params", params)
        # Only the events someone overrides are dispatched: the batch loop is hot.
        self._handlers = {event: self._handlers_for(event) for event in EVENTS}

    def _handlers_for(self, event):
        handlers = []
        for cb in self.callbacks:
            fn = getattr(cb, event, None)
            base = getattr(Callback, event)
            if fn is None or getattr(fn, "__func__", None) is base:
                continue
            handlers.append((fn, inspect.iscoroutinefunction(fn)))
        return handlers

    def has(self, event) -> bool:
        return bool(self._handlers[event])

    def has_async_batch_events(self) -> bool:
        """True if a batch event is ``async``: it may await frames, so batches stay on the draw thread."""
        return any(is_async for e in ("on_batch_begin", "on_batch_end") for _, is_async in self._handlers[e])

    async def call(self, event, *args):
        for fn, is_async in self._handlers[event]:
            result = fn(*args)
            if is_async or inspect.isawaitable(result):
                await result
