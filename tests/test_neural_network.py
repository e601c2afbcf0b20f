"""NeuralNetwork, ml5 style: add_data, normalize_data, train on the frame clock, classify, save/load."""

import time

import numpy as np
import pytest
import torch

from py5ml import DataError, ModelFileError, NeuralNetwork, get_scheduler


pytestmark = pytest.mark.usefixtures("one_torch_thread")

@pytest.fixture
def shared():
    """``train()`` runs on the shared scheduler; close it afterwards so no task leaks."""
    s = get_scheduler()
    yield s
    s.close()


def train_to_end(nn, scheduler, max_steps=5000, **kwargs):
    task = nn.train(**kwargs)
    assert nn.is_training and not nn.is_trained
    for _ in range(max_steps):
        if task.is_done:
            break
        scheduler.step()
        time.sleep(0.0005)  # the gap between frames, as in a sketch
    assert task.is_done and task.exception is None, task.exception
    return task


def add_rgb_examples(nn, n=60, seed=0):
    """Red, green and blue-ish colors, 0..255."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        label = ("red-ish", "green-ish", "blue-ish")[i % 3]
        rgb = rng.uniform(0, 60, 3)
        rgb[i % 3] = rng.uniform(180, 255)
        nn.add_data(rgb.tolist(), label)


# -- adding data -----------------------------------------------------------------------------------
def test_add_data_as_a_list():
    nn = NeuralNetwork()
    nn.add_data([1, 2, 3], "a")
    nn.add_data((4.0, 5.0, 6.0), "b")
    nn.add_data([7, 8, 9], "a")
    assert nn.data.rows == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]
    assert nn.labels == ["a", "b"] and nn.data.targets == ["a", "b", "a"]


def test_add_data_as_dicts_is_read_by_name():
    nn = NeuralNetwork(inputs=["r", "g", "b"])
    nn.add_data({"b": 3, "r": 1, "g": 2}, {"label": "red-ish"})
    nn.add_data({"r": 4, "g": 5, "b": 6}, "blue-ish")
    assert nn.data.rows == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert nn.labels == ["red-ish", "blue-ish"]


def test_dict_inputs_name_the_inputs_when_none_were_given():
    nn = NeuralNetwork()
    nn.add_data({"x": 1, "y": 2}, "a")
    with pytest.raises(DataError, match="These inputs are missing: y. Give all of x, y"):
        nn.add_data({"x": 1}, "a")


def test_unknown_label_with_fixed_outputs_names_the_labels():
    nn = NeuralNetwork(outputs=["red-ish", "blue-ish"])
    nn.add_data([1, 2, 3], "blue-ish")
    with pytest.raises(DataError, match="Unknown label 'green-ish'. This network's labels are: red-ish, blue-ish"):
        nn.add_data([1, 2, 3], "green-ish")
    assert len(nn.data) == 1  # the bad example was not kept


def test_wrong_input_width_is_refused_at_add_data():
    nn = NeuralNetwork(inputs=["r", "g", "b"])
    with pytest.raises(DataError, match=r"Expected 3 inputs \(r, g, b\), got 4"):
        nn.add_data([1, 2, 3, 4], "a")
    nn = NeuralNetwork()
    nn.add_data([1, 2], "a")
    with pytest.raises(DataError, match="Expected 2 inputs, got 3"):
        nn.add_data([1, 2, 3], "a")


@pytest.mark.parametrize("inputs, message", [
    ([1, float("nan"), 3], "must be a finite number"),
    ([None, 2, 3], "must be a number"),
])
def test_bad_input_values(inputs, message):
    with pytest.raises(DataError, match=message):
        NeuralNetwork().add_data(inputs, "a")


@pytest.mark.parametrize("label", ["", None, ["a", "b"], {"label": "a", "extra": "b"}])
def test_bad_labels(label):
    with pytest.raises(DataError, match="label"):
        NeuralNetwork().add_data([1, 2, 3], label)


def test_unknown_task_and_activation():
    with pytest.raises(DataError, match="task must be one of 'classification', 'regression', not 'clustering'"):
        NeuralNetwork(task="clustering")
    with pytest.raises(DataError, match="activation must be one of 'relu', .* not 'swish'"):
        NeuralNetwork(activation="swish")


def test_training_without_data_says_what_to_do(shared):
    with pytest.raises(DataError, match="Add some examples before training!"):
        NeuralNetwork().train()


def test_training_with_one_label_is_refused(shared):
    nn = NeuralNetwork()
    nn.add_data([1, 2, 3], "a")
    nn.add_data([3, 2, 1], "a")
    with pytest.raises(DataError, match="All examples have the label 'a': add examples of at least two labels"):
        nn.train()
    assert nn.model is None and nn.task_handle is None


# -- normalization -----------------------------------------------------------------------------------
def test_normalize_data_from_the_data():
    nn = NeuralNetwork()
    nn.add_data([0, 10, 5], "a")
    nn.add_data([100, 20, 5], "b")
    nn.normalize_data()
    xs, _ = nn.data.arrays(nn.data.encoding())
    np.testing.assert_allclose(xs, [[0, 0, 0], [1, 1, 0]])  # a constant input maps to 0, not NaN


def test_normalize_data_with_a_range():
    nn = NeuralNetwork(inputs=3)
    nn.add_data([0, 255, 51], "a")
    nn.add_data([255, 0, 102], "b")
    nn.normalize_data(0, 255)
    encoding = nn.data.encoding()
    xs, ys = nn.data.arrays(encoding)
    np.testing.assert_allclose(xs, [[0, 1, 0.2], [1, 0, 0.4]], rtol=1e-6)
    np.testing.assert_array_equal(ys, [[1, 0], [0, 1]])
    np.testing.assert_allclose(encoding.encode_inputs([127.5, 0, 255]), [0.5, 0, 1])


def test_normalize_data_needs_both_ends_or_data():
    with pytest.raises(DataError, match="Give both low and high"):
        NeuralNetwork().normalize_data(0)
    with pytest.raises(DataError, match="Add some data before normalize_data()"):
        NeuralNetwork().normalize_data()


# -- training and using it -----------------------------------------------------------------------------
def test_train_then_classify(shared):
    nn = NeuralNetwork(seed=0, learning_rate=0.5)
    add_rgb_examples(nn, 90)
    nn.normalize_data(0, 255)
    epochs_seen, done = [], []
    train_to_end(nn, shared, epochs=40, batch_size=8, while_training=lambda e, logs: epochs_seen.append(e),
                 when_done=done.append)
    assert nn.is_trained and not nn.is_training
    assert epochs_seen == list(range(40)) and done == [nn.history]
    results = nn.classify([240, 20, 30])
    assert [r["label"] for r in results][0] == "red-ish"
    assert sorted(r["label"] for r in results) == ["blue-ish", "green-ish", "red-ish"]
    confidences = [r["confidence"] for r in results]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-5)
    assert nn.classify([10, 20, 250])[0]["label"] == "blue-ish"
    got = []
    nn.classify([10, 240, 20], callback=got.append)
    assert got == []  # delivered on a later frame, like ml5's promise
    shared.step()
    assert got[0][0]["label"] == "green-ish"


def test_classify_before_training_and_predict_on_a_classifier(shared):
    nn = NeuralNetwork()
    with pytest.raises(DataError, match="has not been trained or loaded yet"):
        nn.classify([1, 2, 3])
    with pytest.raises(DataError, match=r"predict\(\) is for regression"):
        nn.predict([1, 2, 3])


def test_regression_predict(shared):
    nn = NeuralNetwork(task="regression", seed=0, learning_rate=0.1, hidden_units=8)
    for x in np.linspace(0, 1, 50):
        nn.add_data([x], {"y": 0.2 + 0.6 * x})
    train_to_end(nn, shared, epochs=150, batch_size=10, validation_split=0)
    out = nn.predict([0.5])
    assert len(out) == 1 and out[0]["label"] == "y"
    assert out[0]["value"] == pytest.approx(0.5, abs=0.1)
    assert nn.predict([0.9])[0]["value"] > nn.predict([0.1])[0]["value"]
    with pytest.raises(DataError, match=r"classify\(\) is for classification"):
        nn.classify([0.5])


def test_stop_training_finishes_early_and_still_calls_when_done(shared):
    nn = NeuralNetwork(seed=0)
    add_rgb_examples(nn, 60)
    done = []
    task = nn.train(epochs=50, batch_size=4, yield_every="batch", when_done=done.append)
    shared.step()
    nn.stop_training()
    for _ in range(100):
        if task.is_done:
            break
        shared.step()
    assert task.is_done and done and len(done[0].epoch) == 1


# -- files ------------------------------------------------------------------------------------------------
@pytest.fixture
def trained(shared):
    nn = NeuralNetwork(inputs=["r", "g", "b"], seed=0)
    add_rgb_examples(nn, 60)
    nn.normalize_data(0, 255)
    train_to_end(nn, shared, epochs=5)
    return nn


PROBES = [[240, 20, 30], [10, 240, 20], [10, 20, 250], [128, 128, 128]]


def test_save_then_load_into_a_new_network_gives_the_same_answers(trained, tmp_path):
    path = trained.save(tmp_path)
    assert path.name == "model.json" and (tmp_path / "model.weights.bin").exists()
    copy = NeuralNetwork().load(path)
    assert copy.labels == trained.labels and copy.task == "classification"
    assert copy.encoding == trained.encoding
    assert copy.is_trained
    for rgb in PROBES:
        a, b = trained.classify(rgb), copy.classify(rgb)
        assert [r["label"] for r in a] == [r["label"] for r in b]
        np.testing.assert_allclose([r["confidence"] for r in a], [r["confidence"] for r in b], atol=1e-6)


def test_regression_round_trip(shared, tmp_path):
    nn = NeuralNetwork(task="regression", seed=0)
    for x in range(10):
        nn.add_data([x, 2 * x], {"sum": 3 * x, "diff": -x})
    nn.normalize_data()
    train_to_end(nn, shared, epochs=2, validation_split=0)
    copy = NeuralNetwork().load(nn.save(tmp_path))
    assert copy.task == "regression"
    a, b = nn.predict([3, 6]), copy.predict([3, 6])
    assert [r["label"] for r in b] == ["sum", "diff"]
    np.testing.assert_allclose([r["value"] for r in a], [r["value"] for r in b], atol=1e-6)


def test_a_failed_load_changes_nothing(trained, tmp_path):
    before = [trained.classify(rgb) for rgb in PROBES]
    model, encoding = trained.model, trained.encoding
    with pytest.raises(ModelFileError, match="does not exist"):
        trained.load(tmp_path / "missing" / "model.json")
    (tmp_path / "model.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        trained.load(tmp_path / "model.json")
    assert trained.model is model and trained.encoding is encoding
    assert [trained.classify(rgb) for rgb in PROBES] == before


def test_save_before_training_says_so(tmp_path):
    with pytest.raises(DataError, match="Nothing to save yet"):
        NeuralNetwork().save(tmp_path)
    assert not any(tmp_path.iterdir())



def test_normalizing_before_adding_data_still_round_trips(shared, tmp_path):
    nn = NeuralNetwork(seed=0)
    nn.normalize_data(0, 255)  # the width is not known yet
    add_rgb_examples(nn, 30)
    train_to_end(nn, shared, epochs=1)
    copy = NeuralNetwork().load(nn.save(tmp_path))
    assert copy.classify(PROBES[0]) == nn.classify(PROBES[0])


def test_a_run_that_goes_nan_keeps_the_last_good_model(shared):
    from py5ml import TrainingError

    nn = NeuralNetwork(task="regression", seed=0, learning_rate=0.1, hidden_units=8, optimizer="sgd")
    for x in np.linspace(0, 1, 50):
        nn.add_data([x], {"y": 0.2 + 0.6 * x})
    train_to_end(nn, shared, epochs=30, batch_size=10, validation_split=0)
    good = nn.predict([0.5])[0]["value"]
    nn.options["learning_rate"] = 1e6
    task = nn.train(epochs=30, batch_size=10, validation_split=0)
    for _ in range(2000):
        if task.is_done:
            break
        shared.step()
        time.sleep(0.0005)
    assert isinstance(task.exception, TrainingError)
    assert "lower learning rate" in str(task.exception)
    assert nn.predict([0.5])[0]["value"] == good  # the trained model is back, not the NaN one
