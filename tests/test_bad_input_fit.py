"""fit() refuses bad arguments at the call, with messages that say what to pass, and changes nothing."""

import asyncio

import numpy as np
import pytest
import torch

from py5ml import fit
from py5ml._errors import DataError

X = np.random.default_rng(0).random((20, 3), dtype=np.float32)
Y = np.eye(2, dtype=np.float32)[np.arange(20) % 2]


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=1))


def train(net=None, x=X, y=Y, **settings):
    net = net if net is not None else model()
    return asyncio.run(fit(net, x, y, **{"yield_every": "batch", **settings}))


@pytest.mark.parametrize("settings, message", [
    ({"epochs": 0}, r"epochs must be at least 1, not 0\."),
    ({"batch_size": 0}, r"Batch size is 0: choose a whole number ≥ 1, like 32\."),
    ({"epochs": "10"}, r"epochs must be a whole number, like epochs=1, not '10'\."),
    ({"epochs": True}, r"epochs must be a whole number, like epochs=1, not True\."),
    ({"epochs": 10**30}, r"epochs must be at least 1, not 1000000000000000000000000000000\."),
    ({"batch_size": 2.5}, r"Batch size is 2\.5: choose a whole number ≥ 1, like 32\."),
    ({"learning_rate": "0.1"}, r"learning_rate must be a positive number like 0\.25 \(at most 1e30\), not '0\.1'\."),
    ({"learning_rate": 0}, r"learning_rate must be a positive number like 0\.25 \(at most 1e30\), not 0\."),
    ({"learning_rate": float("nan")}, r"learning_rate must be a positive number like 0\.25 \(at most 1e30\), not nan\."),
    ({"learning_rate": 1e308}, r"learning_rate must be a positive number like 0\.25 \(at most 1e30\), not 1e\+308\."),
    ({"yield_every": np.zeros(3)}, r'yield_every must be "auto", "batch", "epoch" or a number of milliseconds like 8, not array'),
    ({"validation_split": "0.1"}, r"validation_split must be a number, not '0\.1'\."),
    ({"validation_split": 1.0}, r"validation_split must be a fraction in \[0, 1\), like 0\.1, not 1\.0\."),
    ({"shuffle": "yes"}, r"shuffle must be True or False, not 'yes'\."),
    ({"callbacks": 5}, r"callbacks must be a list of Callback objects, like \[graph\], not 5\."),
    ({"callbacks": [0.5]}, r"callbacks must hold Callback objects \(with on_epoch_end, on_batch_end\.\.\.\), like \[graph\], not 0\.5\."),
    ({"device": "tpu:banana"}, r'device must be "auto", "cpu" or "cuda", not \'tpu:banana\'\.'),
])
def test_bad_settings_are_refused_at_the_call(settings, message):
    with pytest.raises(DataError, match=message):
        train(**settings)


@pytest.mark.parametrize("validation_data, message", [
    ((X[:, :2], Y), r"validation x rows have shape \(2,\) but the training rows have \(3,\): give validation rows as wide"),
    ((X[:5], Y), r"validation_data has 5 rows of x but 20 of y: give one label per row\."),
    ((X, Y[:, :1]), r"validation y has shape \(1,\) per row but y has \(2,\)"),
    (X, r"validation_data must be a pair \(x_val, y_val\)"),
])
def test_validation_data_that_does_not_fit_is_refused(validation_data, message):
    with pytest.raises(DataError, match=message):
        train(validation_data=validation_data)


def test_nan_in_the_validation_rows_is_an_error_not_a_nan_val_loss():
    vx = X.copy()
    vx[7, 1] = np.nan
    with pytest.raises(DataError, match=r"validation x holds NaN or infinite values: row 7 is \[.*nan.*\]\. Remove or fix those rows\."):
        train(validation_data=(vx, Y))


@pytest.mark.parametrize("x, message", [
    ("abc", r"x must be numbers \(a list of rows, a numpy array or a tensor\), not 'abc'\."),
    ([[1, 2, 3], [4, 5]], r"x must be rows of equal length, all numbers"),
    ([[10**30, 1, 2]] * 20, r"x must be rows of equal length, all numbers \(not text, huge ints or ragged lists\)"),
    (np.full((20, 3), np.inf, np.float32), r"x holds NaN or infinite values: row 0 is \[inf, inf, inf\]"),
    (np.zeros((0, 3)), r"There is no training data: x is empty\. Add some data before training!"),
])
def test_bad_training_data_is_refused(x, message):
    with pytest.raises(DataError, match=message):
        train(x=x)


def test_a_negative_class_number_is_refused():
    with pytest.raises(DataError, match=r"y holds the class number -1; class numbers start at 0 \(0, 1, 2, \.\.\.\)\."):
        train(y=np.array([-1, 0, 1, 0] * 5))
    history = train(y=np.array([-1.5, 0.5] * 10, np.float32), loss="mse",
                    net=torch.nn.Sequential(torch.nn.Linear(3, 1)))  # regression targets may be negative
    assert len(history.history["loss"]) == 1


def test_not_a_model_is_refused():
    with pytest.raises(DataError, match=r"model must be a torch\.nn\.Module .*not None\."):
        asyncio.run(fit(None, X, Y))
    with pytest.raises(DataError, match="The model has no trainable parameters"):
        asyncio.run(fit(torch.nn.Softmax(dim=1), X, Y))


def test_a_refused_fit_changes_nothing():
    net = model()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    rng = torch.get_rng_state()
    with pytest.raises(DataError):
        train(net, validation_data=(X[:, :2], Y), epochs=3)
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())
    assert torch.equal(rng, torch.get_rng_state()) and net.training  # a fresh module trains by default


def test_good_settings_still_train_and_whole_floats_are_taken():
    history = train(epochs=2.0, batch_size=8, validation_data=(X, Y), learning_rate=0.5)
    assert len(history.history["val_loss"]) == 2 and np.isfinite(history.history["val_loss"]).all()
