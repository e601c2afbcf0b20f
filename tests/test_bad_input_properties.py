"""Property tests over the public API: whatever a sketch passes, only py5ml errors escape, a refused
call changes nothing, no file appears outside the target folder, and memory stays bounded."""

import asyncio
import json
import math
import tracemalloc

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings, strategies as st

from py5ml import NeuralNetwork, fit, load_color_data
from py5ml._errors import Py5mlError
from py5ml.formats._model_files import load_model, save_model

FAST = settings(max_examples=20, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MEMORY_LIMIT = 200 * 2**20

# Anything a sketch might pass by mistake; integers stay either clearly refused or small, so an
# accepted value never asks for a billion epochs.
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.integers(2**31, 2**80), st.integers(-(2**80), -(2**31)),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12), st.binary(max_size=8),
    st.lists(st.floats(allow_nan=True), max_size=4), st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(-3, 3), max_size=2), st.just(10**400), st.just(()),
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=12,
)


def snapshot(obj, depth=0):
    """A comparable picture of an object's state (arrays by bytes, modules by weights)."""
    if isinstance(obj, np.ndarray):
        return ("array", obj.dtype.str, obj.shape, obj.tobytes())
    if isinstance(obj, torch.Tensor):
        return ("tensor", str(obj.dtype), tuple(obj.shape), obj.detach().cpu().numpy().tobytes())
    if isinstance(obj, torch.nn.Module):
        return ("module", snapshot(obj.state_dict(), depth + 1))
    if isinstance(obj, dict):
        return {repr(k): snapshot(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [snapshot(v, depth + 1) for v in (sorted(obj, key=repr) if isinstance(obj, (set, frozenset)) else obj)]
    if isinstance(obj, (str, int, bool, bytes, type(None))):
        return obj
    if isinstance(obj, float):
        return repr(obj)
    if depth < 5 and hasattr(obj, "__dict__") and not callable(obj):
        return (type(obj).__name__, snapshot(vars(obj), depth + 1))
    return type(obj).__name__


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def only_py5ml_errors(call, *, measure_memory=False):
    """Run ``call``; return (result, error). Any exception that is not a py5ml error fails the test.

    ``measure_memory`` also traces allocations (slow) and fails above ``MEMORY_LIMIT``.
    """
    if measure_memory:
        tracemalloc.start()
    try:
        return call(), None
    except Py5mlError as error:
        assert len(str(error)) < 2000, "an error message echoed too much input"
        return None, error
    finally:
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert peak < MEMORY_LIMIT, f"{peak / 2**20:.0f} MB"


# -- NeuralNetwork ---------------------------------------------------------------------------------
def small_network():
    nn = NeuralNetwork(task="classification")
    for r, g, b, label in [(255, 0, 0, "red"), (0, 0, 255, "blue"), (250, 10, 5, "red"), (5, 0, 240, "blue")]:
        nn.add_data([r, g, b], label)
    return nn


@FAST
@given(inputs=st.one_of(ANYTHING, st.lists(ANYTHING, max_size=4)), target=ANYTHING)
def test_add_data_raises_only_py5ml_errors_and_a_refusal_changes_nothing(inputs, target):
    nn = small_network()
    before = snapshot(nn)
    _, error = only_py5ml_errors(lambda: nn.add_data(inputs, target))
    if error is not None:
        assert snapshot(nn) == before


@FAST
@given(low=ANYTHING, high=ANYTHING)
def test_normalize_data_raises_only_py5ml_errors(low, high):
    nn = small_network()
    before = snapshot(nn)
    _, error = only_py5ml_errors(lambda: nn.normalize_data(low, high))
    if error is not None:
        assert snapshot(nn) == before


@FAST
@given(name=st.sampled_from(["epochs", "batch_size", "validation_split", "shuffle"]), value=ANYTHING)
def test_train_settings_are_checked_at_the_call(name, value):
    nn = small_network()
    before = snapshot(nn)
    task, error = only_py5ml_errors(lambda: nn.train(**{name: value}))
    if error is not None:
        assert snapshot(nn) == before and not nn.is_training
    elif task is not None and hasattr(task, "cancel"):
        task.cancel()


@FAST
@given(inputs=st.one_of(ANYTHING, st.lists(ANYTHING, max_size=4)))
def test_classify_and_predict_raise_only_py5ml_errors(trained_network, inputs):
    before = snapshot(trained_network.model)
    only_py5ml_errors(lambda: trained_network.classify(inputs))
    only_py5ml_errors(lambda: trained_network.predict(inputs))
    assert snapshot(trained_network.model) == before


@pytest.fixture(scope="module")
def trained_network(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trained")
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=-1))
    path = save_model(model, folder, input_shape=(3,), metadata={"task": "classification", "labels": ["red", "blue"]})
    nn = NeuralNetwork(task="classification")
    nn.load(path)
    return nn


# -- model files -----------------------------------------------------------------------------------
def mutate(document, data):
    """Replace one node of a JSON document (chosen by hypothesis) with hostile JSON."""
    node, path = document, []
    while isinstance(node, (dict, list)) and node and data.draw(st.booleans(), label="deeper"):
        key = data.draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))), label="key")
        path.append(key)
        node = node[key]
    if not path:
        return data.draw(JSON, label="document")
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(JSON, label="value")
    return document


@FAST
@given(data=st.data())
def test_load_of_a_damaged_model_file_raises_only_py5ml_errors_and_writes_nothing(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("model")
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2), torch.nn.Softmax(dim=-1))
    meta = {"task": "classification", "labels": ["a", "b"], "inputs": ["x", "y", "z"],
            "normalization": {"min": [0, 0, 0], "max": [1, 1, 1]}}
    path = save_model(model, folder, input_shape=(3,), metadata=meta)
    path.write_text(json.dumps(mutate(json.loads(path.read_text()), data)))
    listing = files_under(folder)
    nn = NeuralNetwork(task="classification")
    before = snapshot(nn)
    loaded, error = only_py5ml_errors(lambda: load_model(path), measure_memory=True)
    _, nn_error = only_py5ml_errors(lambda: nn.load(path))
    if nn_error is not None:
        assert snapshot(nn) == before
    assert files_under(folder) == listing


@FAST
@given(name=st.text(st.characters(blacklist_characters="/"), min_size=1, max_size=300).filter(lambda n: n not in (".", "..")))
def test_save_writes_only_inside_its_target_folder(tmp_path_factory, name):
    base = tmp_path_factory.mktemp("save")
    target = base / "target"
    model = torch.nn.Sequential(torch.nn.Linear(3, 2))
    _, error = only_py5ml_errors(lambda: save_model(model, target / name, input_shape=(3,)))
    outside = [p for p in files_under(base) if not p.startswith("target")]
    assert outside == []
    assert not any(p.endswith(".tmp") for p in files_under(base))
    if error is None:
        assert any(p.endswith(".json") for p in files_under(target))


# -- fit ---------------------------------------------------------------------------------------------
X = np.random.default_rng(0).random((12, 3), dtype=np.float32)
Y = np.eye(2, dtype=np.float32)[np.arange(12) % 2]


@FAST
@given(name=st.sampled_from(["epochs", "batch_size", "validation_split", "learning_rate", "shuffle",
                             "validation_data", "optimizer", "loss", "yield_every", "callbacks", "device"]),
       value=ANYTHING, x_bad=st.booleans(), x_value=ANYTHING)
def test_fit_raises_only_py5ml_errors_and_a_refusal_changes_no_weight(name, value, x_bad, x_value):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=1))
    before = snapshot(model)
    x = x_value if x_bad else X
    arguments = {"epochs": 1, "yield_every": "epoch", name: value}
    _, error = only_py5ml_errors(lambda: asyncio.run(fit(model, x, Y, **arguments)))
    if error is not None:
        assert snapshot(model) == before


# -- color data --------------------------------------------------------------------------------------
ENTRY = st.fixed_dictionaries({"r": JSON | st.integers(0, 255), "g": st.integers(0, 255), "b": JSON | st.floats(0, 255),
                               "label": st.sampled_from(["red-ish", "blue-ish", "", "sky-ish"]) | JSON})


@FAST
@given(document=st.one_of(JSON, st.fixed_dictionaries({"entries": st.lists(ENTRY, max_size=5) | JSON})))
def test_load_color_data_raises_only_data_errors(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("color") / "colorData.json"
    path.write_text(json.dumps(document))
    data, error = only_py5ml_errors(lambda: load_color_data(path), measure_memory=True)
    if error is None:
        assert len(data) == len(document["entries"]) > 0
        assert np.isfinite(data.rgb).all() and data.rgb.min() >= 0 and data.rgb.max() <= 255
        assert data.one_hot().shape == (len(data), 9)


@FAST
@given(raw=st.binary(max_size=200))
def test_a_damaged_cache_never_stops_load_color_data(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("cache")
    (folder / "colorData.json").write_bytes(raw)
    data, error = only_py5ml_errors(lambda: load_color_data(cache_dir=folder, download=False))
    assert error is None and len(data) > 0


# -- TransferModel ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def transfer_model():
    from py5ml.vision._feature_extractor import feature_extractor

    fe = feature_extractor("MobileNet", weights=None, device="cpu")
    fe.wait_until_ready(60)
    return fe.classification()


PICTURES = st.one_of(
    ANYTHING,
    st.builds(lambda h, w, c, v: np.full((h, w, c), v, np.float32), st.integers(0, 40), st.integers(0, 40),
              st.sampled_from([1, 2, 3, 4, 5]), st.floats(allow_nan=True, allow_infinity=True)),
    st.builds(lambda h, w: np.zeros((h, w, 3), np.uint8), st.integers(1, 3000), st.integers(1, 3000)),
)


@settings(FAST, max_examples=20)
@given(image=PICTURES, label=ANYTHING)
def test_add_image_raises_only_py5ml_errors_and_a_refusal_adds_nothing(transfer_model, image, label):
    counts = dict(transfer_model.example_counts or {})
    _, error = only_py5ml_errors(lambda: asyncio.run(transfer_model.add_image_async(image, label)), measure_memory=True)
    if error is not None:
        assert dict(transfer_model.example_counts or {}) == counts


@settings(FAST, max_examples=15)
@given(data=st.data())
def test_a_damaged_examples_file_raises_only_py5ml_errors(transfer_model, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("examples")
    arrays = {"features": data.draw(st.sampled_from([np.zeros((2, 576), np.float32), np.zeros((2, 5), np.float32),
                                                      np.full((2, 576), np.nan, np.float32), np.zeros((0,))])),
              "labels": np.array(data.draw(st.lists(st.text(max_size=5), max_size=3))),
              "meta": np.array(json.dumps(data.draw(JSON | st.just({"format": "py5ml-examples-1", "task": "classification"}))))}
    path = folder / "examples.npz"
    np.savez(path, **arrays)
    counts = dict(transfer_model.example_counts or {})
    _, error = only_py5ml_errors(lambda: asyncio.run(transfer_model.load_examples_async(path)))
    if error is not None:
        assert dict(transfer_model.example_counts or {}) == counts
    assert math.isfinite(sum((transfer_model.example_counts or {}).values()))
