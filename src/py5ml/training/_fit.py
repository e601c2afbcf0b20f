"""``await fit(model, x, y, ...)``: Keras-style training that steps on the frame clock.

It is TF.js's ``model.fit`` in Python: batches, epochs, shuffling, a validation split, and
callbacks with ``logs``. Because it is a coroutine, it trains a few batches, hands the frame
back to ``draw()``, and carries on next frame; how often is the ``yield_every`` policy.
"""

import math
import time

import numpy as np
import torch

from ._callbacks import CallbackList, History
from ._fit_checks import check_fit_arguments
from .._errors import DataError, TrainingError
from ._losses import check_optimizer, make_loss, make_optimizer
from ._background_epoch import EpochWorker
from ._fast_step import DenseStep
from ._pacing import Pacer
from ..clock._long_lived import freeze_long_lived
from ..clock._scheduler import current_task, next_frame

__all__ = ["fit", "split_validation"]


async def fit(model, x, y, *, epochs=1, batch_size=32, shuffle=True, validation_split=0.0,
              validation_data=None, optimizer="sgd", learning_rate=0.01,
              loss="categorical_crossentropy", callbacks=(), yield_every="auto", device="auto"):
    """Train ``model`` on ``x`` → ``y`` and return a ``History``; await it inside a task.

    Example (the TF.js color classifier, 7.11)::

        import py5, py5ml, torch

        model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Sigmoid(),
                                    torch.nn.Linear(16, 9), torch.nn.Softmax(dim=1))

        async def train():
            history = await py5ml.fit(model, xs, ys, epochs=10, shuffle=True,
                                      validation_split=0.1, optimizer="sgd", learning_rate=0.25)
            print(history.history["val_acc"][-1])

        def setup():
            py5.size(400, 300)
            py5ml.start_task(train())

        def draw():
            py5.background(0)
            py5.line(py5.frame_count % py5.width, 0, py5.frame_count % py5.width, py5.height)

    Args:
        model: a ``torch.nn.Module``; classification models end in ``nn.Softmax(dim=1)``.
        x, y: numpy arrays or tensors; ``y`` one-hot rows or class numbers for classification.
        validation_split: the fraction of samples, taken from the end before shuffling (as
            Keras and TF.js do), held out to report ``val_loss`` / ``val_acc`` each epoch.
        callbacks: ``Callback`` objects; their methods may be ``async``.
        yield_every: ``"auto"`` (default): in a sketch, batches run on a background thread
            while py5 renders and waits for the next frame, never during ``draw()``, and the
            callbacks get each batch's logs on the draw thread once a frame, in order. With an
            ``async`` batch callback they stay on the draw thread, as many as fit in the frame.
            ``"batch"``: one batch per frame (the lesson). ``"epoch"``: one epoch per frame.
            A number: that many milliseconds of training per frame.
        device: ``"auto"`` trains where the model's parameters are.

    Raises:
        DataError: empty data, mismatched lengths or widths, bad settings.
        TrainingError: the loss became NaN or infinite.
    """
    epochs, batch_size, validation_split, learning_rate = check_fit_arguments(
        model, x, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split,
        validation_data=validation_data, learning_rate=learning_rate, shuffle=shuffle, callbacks=callbacks, device=device,
        yield_every=yield_every, loss=loss)
    device = _device(model, device)
    xs, ys = _as_tensor(x, "x", device), _as_tensor(y, "y", device)
    _check_lengths(xs, ys)
    loss_fn, ys, class_idx = make_loss(loss, ys)
    (x_train, y_train, idx_train), val = split_validation(xs, ys, class_idx, validation_split, validation_data, device)
    _check_model_fits(model, x_train, loss, class_idx)
    check_optimizer(optimizer, learning_rate)
    fast = DenseStep.build(model, loss_fn, optimizer, learning_rate, x_train, y_train, idx_train)
    opt = None if fast is not None else make_optimizer(optimizer, model, learning_rate)
    history = History()
    params = {"epochs": epochs, "batch_size": batch_size, "samples": len(x_train),
              "steps": math.ceil(len(x_train) / batch_size)}
    cbs = CallbackList([history, *callbacks], model, params)
    run = _Run(model, opt, loss_fn, cbs, Pacer(yield_every), batch_size)
    run.fast = fast
    freeze_long_lived("first fit")  # the model and data live on: keep full GC sweeps off the frames
    model.stop_training = False
    model.train()
    try:
        await cbs.call("on_train_begin", {})
        logs = {}
        for epoch in range(epochs):
            logs = await run.epoch(epoch, x_train, y_train, idx_train, shuffle, val)
            if model.stop_training:
                break
        await cbs.call("on_train_end", logs)
    finally:
        model.eval()
    return history


class _Run:
    """One training run's moving parts, so the batch loop stays short."""

    def __init__(self, model, opt, loss_fn, cbs, pacer, batch_size):
        self.model, self.opt, self.loss_fn, self.cbs = model, opt, loss_fn, cbs
        self.pacer, self.batch_size = pacer, batch_size
        self.fast = None  # a DenseStep when the model is a small dense net it covers
        self.wants_batch_begin = cbs.has("on_batch_begin")
        scheduler = pacer.scheduler
        self.on_worker = (pacer.mode == "auto" and scheduler is not None and scheduler.trains_in_background
                          and not cbs.has_async_batch_events())

    async def epoch(self, epoch, xs, ys, idx, shuffle, val):
        await self.cbs.call("on_epoch_begin", epoch, {})
        self.data = (xs, ys, idx)
        plan = lambda: self._selections(len(xs), shuffle, xs.device)  # noqa: E731
        check = lambda: evaluate(self.model, self.loss_fn, *val) if val else {}  # noqa: E731
        if self.on_worker:
            totals, val_logs = await self._epoch_on_worker(plan, check)
        else:
            totals, val_logs = await self._batches_in_frame(plan()), check()
        logs = _epoch_logs(totals, idx is not None)
        logs.update(val_logs)
        await self.cbs.call("on_epoch_end", epoch, logs)
        await self.pacer.after_epoch()
        return logs

    def _selections(self, n, shuffle, device):
        order = torch.randperm(n, device=device) if shuffle else torch.arange(n, device=device)
        return [(order[i:i + self.batch_size], min(self.batch_size, n - i)) for i in range(0, n, self.batch_size)]

    async def _batches_in_frame(self, selections):
        """Each batch on the draw thread; the pacer decides when to hand the frame back."""
        totals = [0.0, 0.0, 0]
        for batch, (sel, size) in enumerate(selections):
            began = time.perf_counter()
            if self.wants_batch_begin:
                await self.cbs.call("on_batch_begin", batch, {"batch": batch, "size": size})
            logs = self.step(batch, sel)
            await self.cbs.call("on_batch_end", batch, logs)
            _accumulate(totals, logs, size)
            if self.model.stop_training:
                break
            await self.pacer.after_batch(began)
        return totals

    async def _epoch_on_worker(self, plan, check):
        """Batches on a thread between frames; callbacks replayed here, in order, once a frame."""
        task = current_task()
        worker = EpochWorker(plan, self.step, check, self.pacer.scheduler.gate,
                             is_paused=lambda: task is not None and task.is_paused)
        totals = [0.0, 0.0, 0]
        worker.start()
        try:
            while not worker.is_finished.is_set() or worker.done:
                await next_frame()
                await self._replay(worker, totals)
        finally:
            worker.stop()
        if worker.error is not None:
            raise worker.error
        return totals, worker.result

    async def _replay(self, worker, totals) -> None:
        """Hand finished batches to the callbacks, in order.

        After ``stop_training`` the thread stops at its next batch. It may have run up to a frame
        ahead; those batches changed the model, so they are reported too.
        """
        for batch, size, logs in worker.drain():
            if self.wants_batch_begin:
                await self.cbs.call("on_batch_begin", batch, {"batch": batch, "size": size})
            await self.cbs.call("on_batch_end", batch, logs)
            _accumulate(totals, logs, size)
            if self.model.stop_training:
                worker.stop()

    def step(self, batch, sel):
        """One optimizer step on the batch ``sel``; returns its logs (plain floats)."""
        logs = self.fast.step(sel) if self.fast is not None else self._torch_step(sel)
        if not math.isfinite(logs["loss"]):
            raise TrainingError(
                f"The loss became {logs['loss']} at batch {batch}: training stopped. "
                "Try a lower learning rate (e.g. a tenth of the one you used) or normalize your inputs."
            )
        return logs

    def _torch_step(self, sel):
        """The general path: autograd and a torch optimizer (``DenseStep`` covers small dense nets)."""
        xs, ys, idx = self.data
        out = self.model(xs[sel])
        loss = self.loss_fn(out, ys[sel])
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        logs = {"loss": loss.item()}
        if idx is not None:  # argmax needs no autograd; sum + one division is cheaper than float().mean()
            logs["acc"] = (out.argmax(dim=1) == idx[sel]).sum().item() / len(sel)
        return logs


def _accumulate(totals, logs, n):
    totals[0] += logs["loss"] * n
    totals[1] += logs.get("acc", 0.0) * n
    totals[2] += n


def _epoch_logs(totals, has_acc):
    n = max(totals[2], 1)
    logs = {"loss": totals[0] / n}
    if has_acc:
        logs["acc"] = totals[1] / n
    return logs


@torch.no_grad()
def evaluate(model, loss_fn, xs, ys, idx):
    """``{"val_loss", "val_acc"}`` on held-out data, in eval mode (dropout off)."""
    was_training = model.training
    model.eval()
    out = model(xs)
    logs = {"val_loss": loss_fn(out, ys).item()}
    if idx is not None:
        logs["val_acc"] = (out.argmax(dim=1) == idx).float().mean().item()
    model.train(was_training)
    return logs


def split_validation(xs, ys, idx, validation_split, validation_data, device):
    """Hold out the last ``validation_split`` of the samples, before any shuffling (Keras, TF.js)."""
    if validation_data is not None:
        vx, vy = (_as_tensor(a, name, device) for a, name in zip(validation_data, ("validation x", "validation y")))
        _, vy, vidx = make_loss("categorical_crossentropy", vy) if idx is not None else (None, vy.float(), None)
        return (xs, ys, idx), (vx, vy, vidx)
    if not validation_split:
        return (xs, ys, idx), None
    split_at = int(math.floor(len(xs) * (1 - validation_split)))
    if split_at < 1 or split_at >= len(xs):
        raise DataError(
            f"validation_split={validation_split} leaves {split_at} of {len(xs)} samples for training "
            "and the rest for validation: add more data or choose a smaller fraction like 0.1."
        )
    cut = lambda t: (None, None) if t is None else (t[:split_at], t[split_at:])  # noqa: E731
    (xt, xv), (yt, yv), (it, iv) = cut(xs), cut(ys), cut(idx)
    return (xt, yt, it), (xv, yv, iv)


def _device(model, device):
    if device != "auto":
        model.to(device)
        return torch.device(device)
    first = next(model.parameters(), None)
    return first.device if first is not None else torch.device("cpu")


def _as_tensor(data, name, device):
    if isinstance(data, torch.Tensor):
        t = data.detach()
    else:
        try:
            t = torch.as_tensor(np.asarray(data))
        except (TypeError, ValueError) as e:
            raise DataError(f"{name} must be numbers (a list, numpy array or tensor): {e}") from None
    if t.numel() == 0:
        raise DataError(f"There is no training data: {name} is empty. Add some data before training!")
    if t.is_floating_point():
        t = t.float()
    return t.to(device)


def _check_lengths(xs, ys):
    if len(xs) != len(ys):
        raise DataError(f"x has {len(xs)} samples but y has {len(ys)}: give one label per sample.")


def _check_model_fits(model, xs, loss, class_idx):
    """Run one sample through the model first, so a wrong width fails clearly, not mid-training."""
    try:
        with torch.no_grad():
            out = model(xs[:2])
    except RuntimeError as e:
        raise DataError(
            f"The model cannot take inputs of shape {tuple(xs.shape[1:])} (one sample): {e}. "
            "Check the number of inputs, e.g. 3 for r, g, b."
        ) from None
    if class_idx is not None and isinstance(loss, str):
        _check_probabilities(out, class_idx, loss)


def _check_probabilities(out, class_idx, loss):
    if out.ndim != 2 or int(class_idx.max()) >= out.shape[1]:
        raise DataError(
            f"The model gives outputs of shape {tuple(out.shape[1:])} but the labels need "
            f"{int(class_idx.max()) + 1} classes: make the last layer as wide as the number of labels."
        )
    if bool((out < 0).any()) or not torch.allclose(out.sum(dim=1), torch.ones(len(out), device=out.device), atol=1e-3):
        raise DataError(
            f"{loss} expects probabilities: end the model with torch.nn.Softmax(dim=1)."
        )
