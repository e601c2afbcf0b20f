"""The numpy training step for small dense nets gives torch's numbers, and steps aside otherwise."""

import asyncio

import numpy as np
import pytest
import torch

import py5ml
from py5ml.training import _fast_step
from py5ml.training._fast_step import DenseStep
from py5ml.training._losses import make_loss

RNG = np.random.default_rng(0)
X = RNG.random((300, 3)).astype(np.float32)
LABELS = (X[:, 0] > 0.5) * 2 + (X[:, 1] > 0.5)  # four quadrants: learnable
Y = np.eye(4, dtype=np.float32)[LABELS]


def make_model(activation, softmax=True, bias=True):
    torch.manual_seed(0)
    layers = [torch.nn.Linear(3, 8, bias=bias), activation(), torch.nn.Linear(8, 4, bias=bias)]
    return torch.nn.Sequential(*layers, torch.nn.Softmax(dim=1)) if softmax else torch.nn.Sequential(*layers)


def train(monkeypatch, enabled, model, y=Y, **settings):
    """Batch losses, epoch logs and the trained model, with the fast step on or off."""
    monkeypatch.setattr(_fast_step, "ENABLED", enabled)
    losses = []
    record = py5ml.LambdaCallback(on_batch_end=lambda batch, logs: losses.append(logs["loss"]))
    torch.manual_seed(1)  # the same shuffles either way
    history = asyncio.run(py5ml.fit(model, X, y, epochs=4, batch_size=32, validation_split=0.1,
                                    callbacks=[record], **settings))
    return np.array(losses), history.history, model


@pytest.mark.parametrize("activation", [torch.nn.Sigmoid, torch.nn.ReLU, torch.nn.Tanh])
@pytest.mark.parametrize("optimizer, learning_rate", [("sgd", 0.25), ("adam", 0.01)])
@pytest.mark.parametrize("loss", ["categorical_crossentropy", "sparse_categorical_crossentropy", "mse", "mae"])
def test_loss_curve_and_weights_equal_the_torch_path(monkeypatch, one_torch_thread, activation, optimizer,
                                                      learning_rate, loss):
    softmax = "crossentropy" in loss
    y = LABELS if loss.startswith("sparse") else Y
    settings = dict(optimizer=optimizer, learning_rate=learning_rate, loss=loss)
    fast, fast_history, fast_model = train(monkeypatch, True, make_model(activation, softmax), y, **settings)
    slow, slow_history, slow_model = train(monkeypatch, False, make_model(activation, softmax), y, **settings)
    assert len(fast) == len(slow) == 4 * 9
    np.testing.assert_allclose(fast, slow, rtol=1e-4, atol=1e-6)
    for key in slow_history:
        np.testing.assert_allclose(fast_history[key], slow_history[key], rtol=1e-4, atol=1e-6)
    for p, q in zip(fast_model.parameters(), slow_model.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-4, atol=1e-5)
    assert fast[-9:].mean() < fast[:9].mean()  # and it learns


def test_a_model_without_biases_trains_the_same(monkeypatch, one_torch_thread):
    fast, _, _ = train(monkeypatch, True, make_model(torch.nn.Sigmoid, bias=False), learning_rate=0.5)
    slow, _, _ = train(monkeypatch, False, make_model(torch.nn.Sigmoid, bias=False), learning_rate=0.5)
    np.testing.assert_allclose(fast, slow, rtol=1e-4, atol=1e-6)


def _build(model, optimizer="sgd", loss="categorical_crossentropy", x=X):
    xs = torch.as_tensor(x)
    loss_fn, ys, idx = make_loss(loss, torch.as_tensor(Y))
    return DenseStep.build(model, loss_fn, optimizer, 0.1, xs, ys, idx)


def test_it_covers_the_lessons_network():
    assert _build(make_model(torch.nn.Sigmoid)) is not None


@pytest.mark.parametrize("case", ["dropout", "rmsprop", "optimizer object", "custom loss", "float64 data",
                                  "softmax in the middle", "subclassed model", "hook", "frozen layer"])
def test_anything_else_trains_with_torch(case):
    model = make_model(torch.nn.Sigmoid)
    optimizer, loss, x = "sgd", "categorical_crossentropy", X
    if case == "dropout":
        model = torch.nn.Sequential(model[0], torch.nn.Dropout(0.2), *model[1:])
    elif case == "rmsprop":
        optimizer = "rmsprop"
    elif case == "optimizer object":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    elif case == "custom loss":
        loss = lambda out, y: ((out - y) ** 2).sum()  # noqa: E731
    elif case == "float64 data":
        x = X.astype(np.float64)
    elif case == "softmax in the middle":
        model = torch.nn.Sequential(model[0], torch.nn.Softmax(dim=1), *model[2:])
    elif case == "subclassed model":
        model = type("MyNet", (torch.nn.Sequential,), {})(*model)
    elif case == "hook":
        model[0].register_forward_hook(lambda *args: None)
    elif case == "frozen layer":
        model[0].weight.requires_grad_(False)
    assert _build(model, optimizer, loss, x) is None


def test_the_model_sees_each_update_at_once(monkeypatch):
    """The numpy arrays are the parameters: a callback calling the model sees the trained weights."""
    model = make_model(torch.nn.Sigmoid)
    first = model[0].weight.detach().clone()
    seen, kinds = [], set()

    def probe_batch(batch, logs):
        seen.append(model(torch.as_tensor(X[:1])))
        kinds.update(type(v) for v in logs.values())

    probe = py5ml.LambdaCallback(on_batch_end=probe_batch)
    asyncio.run(py5ml.fit(model, X, Y, epochs=1, learning_rate=0.5, callbacks=[probe]))
    assert not torch.equal(model[0].weight, first)
    assert not torch.equal(seen[0], seen[-1])
    assert kinds == {float}  # logs hold plain floats, as on the torch path


def test_a_head_on_a_feature_map_trains_the_same(monkeypatch, one_torch_thread):
    """``Flatten()`` first (a TransferModel head on a 2×2×3 map): the numpy step flattens the data once."""
    maps = np.repeat(X[:, None, None, :], 4, axis=1).reshape(len(X), 2, 2, 3)

    def head():
        torch.manual_seed(0)
        return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.ReLU(),
                                   torch.nn.Linear(8, 4), torch.nn.Softmax(dim=-1))

    xs = torch.as_tensor(maps)
    loss_fn, ys, idx = make_loss("categorical_crossentropy", torch.as_tensor(Y))
    assert DenseStep.build(head(), loss_fn, "adam", 0.01, xs, ys, idx) is not None
    runs = []
    for enabled in (True, False):
        monkeypatch.setattr(_fast_step, "ENABLED", enabled)
        losses = []
        torch.manual_seed(1)
        asyncio.run(py5ml.fit(head(), maps, Y, epochs=3, batch_size=32, optimizer="adam", learning_rate=0.01,
                              callbacks=[py5ml.LambdaCallback(on_batch_end=lambda b, logs: losses.append(logs["loss"]))]))
        runs.append(np.array(losses))
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-4, atol=1e-6)


FIRST_FIT = """
import asyncio, gc, sys, time
import numpy as np, torch, py5ml
x = np.random.default_rng(0).random((200, 3)).astype(np.float32)
y = np.eye(3, dtype=np.float32)[(x[:, 0] * 3).astype(int)]
model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Sigmoid(), torch.nn.Linear(8, 3), torch.nn.Softmax(dim=1))
asyncio.run(py5ml.fit(model, x, y, epochs=1, optimizer=sys.argv[1], learning_rate=0.1))
print("frozen" if gc.get_freeze_count() > 1000 else "not frozen")
print("torch._dynamo" in sys.modules)
"""


@pytest.mark.parametrize("optimizer, imports_dynamo", [("sgd", False), ("adam", False), ("rmsprop", True)])
def test_the_numpy_step_makes_no_torch_optimizer(tmp_path, optimizer, imports_dynamo):
    """A torch optimizer's first use imports torch._dynamo (seconds, a frozen first frame of
    training): the numpy step needs none, so a fresh process never imports it. And the first
    fit freezes what exists (torch, the data) out of the GC's full sweeps."""
    import subprocess
    import sys

    script = tmp_path / "first_fit.py"
    script.write_text(FIRST_FIT)
    out = subprocess.run([sys.executable, str(script), optimizer], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-1] == str(imports_dynamo)
    assert out.stdout.split()[0] == "frozen"  # the first fit froze torch's objects out of the GC's full sweeps


def test_a_bad_optimizer_is_refused_even_where_the_numpy_step_would_train():
    model = make_model(torch.nn.Sigmoid)
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(py5ml.DataError, match="Unknown optimizer 'sgdd'"):
        asyncio.run(py5ml.fit(model, X, Y, epochs=1, optimizer="sgdd"))
    with pytest.raises(py5ml.DataError, match="learning_rate must be a positive number"):
        asyncio.run(py5ml.fit(model, X, Y, epochs=1, learning_rate=-1))
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before))
