"""``fit``: callbacks and logs, the validation split, frame pacing, stopping, and clear errors."""

import asyncio
import time
from collections import Counter

import numpy as np
import pytest
import torch
from torch import nn

from py5ml import Callback, DataError, FrameScheduler, LambdaCallback, TrainingError, fit, load_color_data, next_frame
from py5ml.training._fit import split_validation


# -- helpers ---------------------------------------------------------------------------------
def softmax_model(n_in=2, n_out=3, seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(n_in, n_out), nn.Softmax(dim=1))


def tiny_data(n=10, n_in=2, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    xs = rng.random((n, n_in), dtype=np.float32)
    ys = np.eye(classes, dtype=np.float32)[np.arange(n) % classes]
    return xs, ys


def run_on(scheduler, coro, max_steps=5000):
    """Start ``coro`` on ``scheduler`` and step frames until it finishes; return its result."""
    task = scheduler.start_task(coro)
    for _ in range(max_steps):
        if task.is_done:
            break
        scheduler.step()
        time.sleep(0.0005)  # the gap between frames, as in a sketch
    assert task.is_done, f"still running after {max_steps} frames"
    if task.exception is not None:
        raise task.exception
    return task.result


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def scheduler():
    s = FrameScheduler()
    yield s
    s.close()


class Recorder(Callback):
    """Writes down every event with its arguments."""

    def __init__(self):
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append(("train_begin", logs))

    def on_train_end(self, logs=None):
        self.events.append(("train_end", logs))

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, logs))

    def on_batch_begin(self, batch, logs=None):
        self.events.append(("batch_begin", batch))

    def on_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch, logs))

    def names(self):
        return [(e[0], *(e[1:2] if e[0] not in ("train_begin", "train_end") else ())) for e in self.events]

    def logs(self, kind):
        return [e[-1] for e in self.events if e[0] == kind]


class FrameLog(Callback):
    """Records the scheduler's frame number at the end of each batch."""

    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.frames = []

    def on_batch_end(self, batch, logs=None):
        self.frames.append(self.scheduler.frame_count)


class AsyncFrameLog(FrameLog):
    """The same, as an ``async`` callback (which keeps every batch inside the frame)."""

    async def on_batch_end(self, batch, logs=None):
        self.frames.append(self.scheduler.frame_count)


class FakeClock:
    """A ``time.perf_counter`` that moves only when the model works, so pacing is exact."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class SlowModel(nn.Module):
    """A softmax model whose every forward pass costs ``cost`` seconds (real or fake)."""

    def __init__(self, cost, clock=None):
        super().__init__()
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=1))
        self.cost, self.clock = cost, clock

    def forward(self, x):
        if self.clock is None:
            time.sleep(self.cost)
        else:
            self.clock.now += self.cost
        return self.net(x)


# -- callbacks and logs ------------------------------------------------------------------------
def test_callback_order_and_batch_counts():
    rec = Recorder()
    xs, ys = tiny_data(10)
    asyncio.run(fit(softmax_model(), xs, ys, epochs=2, batch_size=4, callbacks=[rec]))
    per_epoch = lambda e: [("epoch_begin", e), *[x for b in range(3) for x in (("batch_begin", b), ("batch_end", b))],
                           ("epoch_end", e)]  # noqa: E731
    assert rec.names() == [("train_begin",), *per_epoch(0), *per_epoch(1), ("train_end",)]
    assert rec.params == {"epochs": 2, "batch_size": 4, "samples": 10, "steps": 3}


def test_logs_are_plain_floats_with_the_keras_keys():
    rec = Recorder()
    xs, ys = tiny_data(20)
    history = asyncio.run(fit(softmax_model(), xs, ys, epochs=2, batch_size=4, validation_split=0.2, callbacks=[rec]))
    for logs in rec.logs("batch_end"):
        assert set(logs) == {"loss", "acc"} and all(type(v) is float for v in logs.values())
    for logs in rec.logs("epoch_end"):
        assert set(logs) == {"loss", "acc", "val_loss", "val_acc"} and all(type(v) is float for v in logs.values())
        assert 0 <= logs["acc"] <= 1 and 0 <= logs["val_acc"] <= 1
    assert rec.logs("train_end")[0] == rec.logs("epoch_end")[-1]
    assert history.history["val_acc"] == [logs["val_acc"] for logs in rec.logs("epoch_end")]
    assert history.batch_loss == [logs["loss"] for logs in rec.logs("batch_end")]
    assert history.epoch == [0, 1]


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    rec = Recorder()
    xs, ys = tiny_data(10)
    asyncio.run(fit(softmax_model(), xs, ys, epochs=1, batch_size=4, callbacks=[rec]))
    batch = [logs["loss"] for logs in rec.logs("batch_end")]
    assert rec.logs("epoch_end")[0]["loss"] == pytest.approx((4 * batch[0] + 4 * batch[1] + 2 * batch[2]) / 10)


def test_async_callbacks_are_awaited_in_order():
    order = []

    class SlowAsync(Callback):
        async def on_batch_end(self, batch, logs=None):
            for _ in range(3):
                await asyncio.sleep(0)
            order.append(("async", batch))

    async def lambda_end(batch, logs):
        await asyncio.sleep(0)
        order.append(("lambda", batch))

    class Sync(Callback):
        def on_batch_end(self, batch, logs=None):
            order.append(("sync", batch))

    xs, ys = tiny_data(8)
    cbs = [SlowAsync(), LambdaCallback(on_batch_end=lambda_end), Sync()]
    asyncio.run(fit(softmax_model(), xs, ys, batch_size=4, callbacks=cbs))
    assert order == [("async", 0), ("lambda", 0), ("sync", 0), ("async", 1), ("lambda", 1), ("sync", 1)]


def test_lambda_callback_rejects_unknown_events():
    with pytest.raises(TypeError, match="on_batch_ends"):
        LambdaCallback(on_batch_ends=print)


def test_stop_training_in_a_callback_stops_after_that_batch():
    class StopAtSecondBatch(Recorder):
        def on_batch_end(self, batch, logs=None):
            super().on_batch_end(batch, logs)
            if batch == 1:
                self.model.stop_training = True

    rec = StopAtSecondBatch()
    xs, ys = tiny_data(20)
    history = asyncio.run(fit(softmax_model(), xs, ys, epochs=5, batch_size=4, callbacks=[rec]))
    names = rec.names()
    assert [n for n in names if n[0] == "batch_end"] == [("batch_end", 0), ("batch_end", 1)]
    assert names[-2:] == [("epoch_end", 0), ("train_end",)]
    assert len(history.batch_loss) == 2 and history.epoch == [0]


class CountsSteps(nn.Module):
    """A softmax model that counts the forward passes that train it (with gradients on)."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.net = nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=1))
        self.training_passes = 0

    def forward(self, x):
        self.training_passes += self.training and torch.is_grad_enabled()
        return self.net(x)


def on_thread(scheduler, yield_every):
    """ "auto-thread": "auto" as inside a py5 sketch, where batches run on a background thread."""
    if yield_every == "auto-thread":
        scheduler.trains_in_background = True
        return "auto"
    return yield_every


@pytest.mark.parametrize("yield_every", ["auto", "auto-thread", "batch", "epoch", 5])
def test_stop_training_on_the_frame_clock_trains_no_further_batch(scheduler, yield_every):
    threaded = yield_every == "auto-thread"
    yield_every = on_thread(scheduler, yield_every)

    def stop_at_second(batch, logs):
        if batch == 1:
            model.stop_training = True

    model = CountsSteps()
    xs, ys = tiny_data(200)
    history = run_on(scheduler, fit(model, xs, ys, epochs=3, batch_size=2, yield_every=yield_every,
                                    callbacks=[LambdaCallback(on_batch_end=stop_at_second)]))
    assert len(history.batch_loss) == model.training_passes  # no optimizer step the callbacks never heard of
    if threaded:  # a background thread: it stops within a frame, reporting what it ran
        assert 2 <= model.training_passes < 300
    else:
        assert model.training_passes == 2


def test_model_is_left_in_eval_mode():
    model = softmax_model()
    xs, ys = tiny_data(8)
    asyncio.run(fit(model, xs, ys))
    assert not model.training


def test_class_numbers_work_like_one_hot_rows():
    xs, ys = tiny_data(12)
    one_hot = asyncio.run(fit(softmax_model(), xs, ys, shuffle=False, batch_size=4))
    numbers = asyncio.run(fit(softmax_model(), xs, ys.argmax(axis=1), shuffle=False, batch_size=4))
    assert numbers.batch_loss == pytest.approx(one_hot.batch_loss, abs=1e-6)


# -- the validation split -----------------------------------------------------------------------
def test_split_validation_holds_out_the_last_fraction():
    xs = torch.arange(10.0).reshape(10, 1)
    idx = torch.arange(10) % 3
    (xt, yt, it), (xv, yv, iv) = split_validation(xs, xs * 2, idx, 0.3, None, "cpu")
    assert xt[:, 0].tolist() == list(range(7)) and xv[:, 0].tolist() == [7, 8, 9]
    assert yv[:, 0].tolist() == [14, 16, 18] and iv.tolist() == [1, 2, 0]


class SeenIds(nn.Module):
    """Remembers which samples (their id is x[:, 0]) it saw while training and while evaluating."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 2), nn.Softmax(dim=1))
        self.train_ids, self.eval_ids = set(), set()

    def forward(self, x):
        (self.train_ids if self.training else self.eval_ids).update(int(v) for v in x[:, 0])
        return self.net(x)


def test_fit_validates_on_the_last_samples_and_never_trains_on_them():
    model = SeenIds()
    xs = np.arange(20, dtype=np.float32).reshape(20, 1)
    ys = np.arange(20) % 2
    asyncio.run(fit(model, xs, ys, epochs=3, batch_size=3, shuffle=True, validation_split=0.25))
    assert model.eval_ids == set(range(15, 20))
    assert model.train_ids == set(range(15))


def test_val_acc_comes_from_the_tail_held_out_before_shuffling():
    # The first 90% are all class 0 and the last 10% class 1, with identical inputs: the model
    # only ever learns class 0, so it must get every validation sample wrong. A split taken
    # after shuffling would hold out mostly class 0 and score near 0.9.
    torch.manual_seed(1)
    xs = np.ones((50, 2), dtype=np.float32)
    ys = np.array([0] * 45 + [1] * 5)
    history = asyncio.run(fit(softmax_model(), xs, ys, epochs=5, batch_size=5, shuffle=True,
                              validation_split=0.1, learning_rate=0.5))
    assert history.history["acc"][-1] == 1.0
    assert history.history["val_acc"] == [0.0] * 5


def test_validation_data_is_used_instead_of_a_split():
    model = SeenIds()
    xs = np.arange(10, dtype=np.float32).reshape(10, 1)
    vx = np.array([[100.0], [101.0]], dtype=np.float32)
    history = asyncio.run(fit(model, xs, np.arange(10) % 2, validation_data=(vx, np.array([0, 1]))))
    assert model.eval_ids == {100, 101} and model.train_ids == set(range(10))
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}


# -- pacing: how many batches run per frame ---------------------------------------------------------
def test_yield_every_batch_is_one_batch_per_frame(scheduler):
    frames = FrameLog(scheduler)
    xs, ys = tiny_data(10)
    run_on(scheduler, fit(softmax_model(), xs, ys, epochs=3, batch_size=4, callbacks=[frames], yield_every="batch"))
    assert frames.frames == list(range(1, 10))


def test_lesson_callback_awaiting_next_frame_costs_one_frame_per_batch(scheduler):
    frames = FrameLog(scheduler)

    async def on_batch_end(batch, logs):
        await next_frame()  # the lesson's `await tf.nextFrame()` in onBatchEnd

    xs, ys = tiny_data(10)
    cbs = [frames, LambdaCallback(on_batch_end=on_batch_end)]
    run_on(scheduler, fit(softmax_model(), xs, ys, epochs=3, batch_size=4, callbacks=cbs, yield_every="batch"))
    assert frames.frames == list(range(1, 10))  # not 1, 3, 5, ...


def test_yield_every_epoch_is_one_epoch_per_frame(scheduler):
    frames = FrameLog(scheduler)
    xs, ys = tiny_data(10)
    run_on(scheduler, fit(softmax_model(), xs, ys, epochs=3, batch_size=4, callbacks=[frames], yield_every="epoch"))
    assert frames.frames == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_yield_every_ms_bounds_the_batches_per_frame(scheduler):
    # Each batch sleeps ≥ 3 ms, so a 10 ms slice can never hold more than 4 of them.
    frames = FrameLog(scheduler)
    xs, ys = tiny_data(24)
    run_on(scheduler, fit(SlowModel(0.003), xs, ys, batch_size=1, callbacks=[frames], yield_every=10))
    per_frame = Counter(frames.frames)
    assert max(per_frame.values()) <= 4  # a few batches per frame, never the whole epoch
    assert sum(per_frame.values()) == 24


def test_yield_every_ms_is_exact_on_a_steady_clock(scheduler, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(time, "perf_counter", clock)
    frames = FrameLog(scheduler)
    xs, ys = tiny_data(40)
    run_on(scheduler, fit(SlowModel(0.003, clock), xs, ys, batch_size=1, callbacks=[frames], yield_every=10))
    assert list(Counter(frames.frames).values()) == [4] * 10


def test_yield_every_auto_fills_the_frame_budget(scheduler, monkeypatch):
    # On a clock where a batch costs 1 ms, "auto" runs about as many batches as the frame's
    # spare time (16.7 ms minus draw time and margin, about 10 ms) allows.
    clock = FakeClock()
    monkeypatch.setattr(time, "perf_counter", clock)
    frames = AsyncFrameLog(scheduler)
    xs, ys = tiny_data(100)
    run_on(scheduler, fit(SlowModel(0.001, clock), xs, ys, batch_size=1, callbacks=[frames]))
    per_frame = list(Counter(frames.frames).values())
    assert sum(per_frame) == 100
    assert all(6 <= n <= 14 for n in per_frame[:-1]), per_frame


def test_fit_works_under_plain_asyncio_with_every_mode():
    xs, ys = tiny_data(8)
    for mode in ("auto", "batch", "epoch", 5):
        history = asyncio.run(fit(softmax_model(), xs, ys, epochs=2, batch_size=4, yield_every=mode))
        assert len(history.batch_loss) == 4


# -- failures ---------------------------------------------------------------------------------------
def test_exploding_loss_raises_training_error_suggesting_a_lower_learning_rate():
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    xs = np.full((8, 1), 1000.0, dtype=np.float32)
    ys = np.zeros((8, 1), dtype=np.float32)
    with pytest.raises(TrainingError, match=r"The loss became (nan|inf).*lower learning rate"):
        asyncio.run(fit(model, xs, ys, epochs=50, loss="mse", learning_rate=1000.0))
    assert not model.training


def run_fit(model=None, x=None, y=None, **kwargs):
    xs, ys = tiny_data(10)
    return asyncio.run(fit(model or softmax_model(), xs if x is None else x, ys if y is None else y, **kwargs))


def test_empty_data_is_refused():
    with pytest.raises(DataError, match="no training data: x is empty"):
        run_fit(x=np.zeros((0, 2), np.float32), y=np.zeros((0, 3), np.float32))


def test_mismatched_lengths_are_refused():
    xs, ys = tiny_data(10)
    with pytest.raises(DataError, match="x has 10 samples but y has 9"):
        run_fit(x=xs, y=ys[:9])


def test_wrong_input_width_names_the_shape():
    with pytest.raises(DataError, match=r"cannot take inputs of shape \(4,\).*number of inputs"):
        run_fit(x=np.zeros((10, 4), np.float32))


@pytest.mark.parametrize("split", [-0.1, 1.0, 1.5])
def test_validation_split_out_of_range(split):
    with pytest.raises(DataError, match="validation_split must be a fraction in"):
        run_fit(validation_split=split)


def test_validation_split_that_leaves_no_training_data():
    with pytest.raises(DataError, match="leaves 0 of 10 samples for training"):
        run_fit(validation_split=0.95)


@pytest.mark.parametrize("bad", ["fast", 0, -5, True, None])
def test_bad_yield_every(bad):
    with pytest.raises(DataError, match="yield_every must be"):
        run_fit(yield_every=bad)


@pytest.mark.parametrize("bad, message", [({"epochs": 0}, "epochs must be"), ({"batch_size": 0}, "Batch size is 0"),
                                          ({"learning_rate": 0}, "learning_rate must be a positive")])
def test_bad_settings(bad, message):
    with pytest.raises(DataError, match=message):
        run_fit(**bad)


def test_unknown_loss_lists_the_choices():
    with pytest.raises(DataError, match="Unknown loss 'hinge'.*categorical_crossentropy"):
        run_fit(loss="hinge")


def test_unknown_optimizer_lists_the_choices():
    with pytest.raises(DataError, match="Unknown optimizer 'adagrad'.*sgd, adam, rmsprop"):
        run_fit(optimizer="adagrad")


def test_the_tfjs_names_are_accepted():
    history = run_fit(loss="categoricalCrossentropy", optimizer="Adam")
    assert len(history.batch_loss) == 1


def test_categorical_loss_needs_a_softmax_model():
    torch.manual_seed(0)
    with pytest.raises(DataError, match=r"categorical_crossentropy expects probabilities.*Softmax\(dim=1\)"):
        run_fit(model=nn.Linear(2, 3))


def test_too_few_outputs_for_the_labels():
    with pytest.raises(DataError, match="labels need 3 classes"):
        run_fit(model=softmax_model(n_out=2))


def test_regression_with_mse_has_no_accuracy_and_learns():
    rec = Recorder()
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    xs = np.linspace(0, 1, 40, dtype=np.float32).reshape(40, 1)
    ys = 2 * xs + 1
    history = asyncio.run(fit(model, xs, ys, epochs=30, batch_size=8, loss="mse", learning_rate=0.3,
                              validation_split=0.2, callbacks=[rec]))
    assert all(set(logs) == {"loss"} for logs in rec.logs("batch_end"))
    assert set(history.history) == {"loss", "val_loss"}
    assert history.history["loss"][-1] < history.history["loss"][0] / 10
    assert model(torch.tensor([[0.5]])).item() == pytest.approx(2.0, abs=0.2)


# -- the lesson, on the real data ---------------------------------------------------------------------
def test_color_classifier_lesson_reaches_the_lessons_accuracy(color_data_path, scheduler):
    data = load_color_data(color_data_path)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 16), nn.Sigmoid(), nn.Linear(16, 9), nn.Softmax(dim=1))
    for layer in (model[0], model[2]):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    history = run_on(scheduler, fit(model, data.rgb / 255, data.one_hot(), epochs=10, batch_size=32, shuffle=True,
                                    validation_split=0.1, optimizer="sgd", learning_rate=0.25), max_steps=20000)
    assert len(history.epoch) == 10
    assert history.history["val_acc"][-1] >= 0.64


@pytest.mark.parametrize("yield_every", ["auto-thread", "auto", "batch"])
def test_pausing_the_task_pauses_training_and_resume_goes_on(scheduler, yield_every):
    """In a sketch "auto" runs batches on a background thread: a paused Task must hold it too."""
    yield_every = on_thread(scheduler, yield_every)
    model = softmax_model()
    xs, ys = tiny_data(2000)
    seen = []
    task = scheduler.start_task(fit(model, xs, ys, epochs=50, yield_every=yield_every,
                                    callbacks=[LambdaCallback(on_batch_end=lambda b, logs: seen.append(b))]))
    for _ in range(10):
        scheduler.step()
        time.sleep(0.002)
    task.pause()
    time.sleep(0.03)
    scheduler.step()  # deliver what ran before the pause
    weights, count = model[0].weight.detach().clone(), len(seen)
    for _ in range(10):
        scheduler.step()
        time.sleep(0.002)
    assert len(seen) == count and torch.equal(weights, model[0].weight)
    task.resume()
    for _ in range(10):
        scheduler.step()
        time.sleep(0.002)
    assert len(seen) > count
    task.cancel()


def test_batches_run_on_a_background_thread_only_when_a_sketch_pumps_the_clock(scheduler):
    import threading

    here = threading.current_thread().name
    forward_on, callbacks_on = set(), set()
    record = LambdaCallback(on_batch_end=lambda b, logs: callbacks_on.add(threading.current_thread().name))

    class Where(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = softmax_model()

        def forward(self, x):
            if self.training and torch.is_grad_enabled():
                forward_on.add(threading.current_thread().name)
            return self.net(x)

    xs, ys = tiny_data(64)
    run_on(scheduler, fit(Where(), xs, ys, epochs=1, batch_size=8, callbacks=[record]))
    assert forward_on == callbacks_on == {here}  # stepped by hand: everything on this thread
    forward_on.clear()
    callbacks_on.clear()
    scheduler.trains_in_background = True  # what attaching to a py5 sketch does
    run_on(scheduler, fit(Where(), xs, ys, epochs=1, batch_size=8, callbacks=[record]))
    assert forward_on == {"py5ml-training"}  # the batches ran on the training thread...
    assert callbacks_on == {here}  # ...and their callbacks here, on the frame clock
