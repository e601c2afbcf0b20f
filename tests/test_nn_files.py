"""A NeuralNetwork saves what ml5 saves (model.json, model.weights.bin, model_meta.json), reloads
to the same answers, text inputs included, and ml5's own saved files load and classify."""

import json
from pathlib import Path

import numpy as np
import pytest

from py5ml import DataError, ModelFileError, NeuralNetwork, get_scheduler

pytestmark = pytest.mark.usefixtures("one_torch_thread")
ML5 = Path(__file__).resolve().parents[2] / "shared" / "data" / "ml5_examples" / "NeuralNetwork"


@pytest.fixture
def shared():
    s = get_scheduler()
    yield s
    s.close()


def run(scheduler, task):
    while not task.is_done:
        scheduler.step()
    assert task.exception is None, task.exception


def test_ml5s_color_model_loads_with_its_meta_and_classifies_by_name():
    nn = NeuralNetwork().load(ML5 / "NeuralNetwork_load_model" / "model" / "model.json")
    assert nn.task == "classification" and nn.encoding.input_names == ["b", "g", "r"]
    assert nn.encoding.is_normalized and nn.labels[0] == "green-ish" and len(nn.labels) == 9
    assert nn.classify({"r": 255, "g": 0, "b": 0})[0]["label"] == "red-ish"
    assert nn.classify({"r": 0, "g": 0, "b": 255})[0]["label"] == "blue-ish"
    assert nn.classify([255, 0, 0])[0]["label"] == "blue-ish"  # a list is read in the file's order: b, g, r


def test_ml5s_basics_model_without_meta_loads_as_numbers_in_numbers_out():
    nn = NeuralNetwork().load(ML5 / "NeuralNetwork_basics" / "model")
    assert nn.task == "regression" and nn.encoding.output_names == ["output0", "output1"]
    out = nn.predict([0.1, 0.2, 0.3])
    assert [r["label"] for r in out] == ["output0", "output1"] and all(-1 <= r["value"] <= 1 for r in out)


def test_save_writes_ml5s_three_files_and_reloads_text_inputs_the_same(shared, tmp_path):
    nn = NeuralNetwork(inputs=["fare_class", "age"], outputs=["survived"], seed=0)
    rng = np.random.default_rng(0)
    for i in range(80):
        cls = ["first", "second", "third"][i % 3]
        nn.add_data({"fare_class": cls, "age": float(rng.integers(1, 80))}, {"survived": "lived" if cls == "first" else "died"})
    nn.normalize_data()
    run(shared, nn.train({"epochs": 30, "yield_every": "epoch"}))
    path = nn.save(tmp_path)
    meta = json.loads((tmp_path / "model_meta.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.weights.bin", "model_meta.json"]
    assert meta["inputs"]["fare_class"]["uniqueValues"] == ["first", "second", "third"]
    assert meta["inputs"]["fare_class"]["legend"]["second"] == [0, 1, 0]
    assert meta["inputs"]["age"]["dtype"] == "number" and meta["isNormalized"] is True
    assert meta["outputs"]["survived"]["uniqueValues"] == ["lived", "died"] and meta["inputUnits"] == 4
    copy = NeuralNetwork().load(path)
    assert copy.encoding == nn.encoding
    for probe in [["first", 30], ["third", 5], {"fare_class": "second", "age": 70}]:
        assert copy.classify(probe) == nn.classify(probe)
    assert copy.classify(["first", 30])[0]["label"] == "lived"


def test_a_model_json_without_py5ml_metadata_reads_model_meta_json_beside_it(shared, tmp_path):
    nn = NeuralNetwork(task="regression", seed=0)
    for x in range(20):
        nn.add_data({"x": x}, {"y": 1000 + 100 * x})
    nn.normalize_data()
    run(shared, nn.train({"epochs": 3, "yield_every": "epoch"}))
    path = nn.save(tmp_path)
    document = json.loads(path.read_text())
    del document["userDefinedMetadata"]  # as ml5 writes it: the metadata only in model_meta.json
    path.write_text(json.dumps(document))
    copy = NeuralNetwork().load(path)
    assert copy.predict({"x": 7}) == nn.predict({"x": 7})
    assert copy.predict([7])[0]["label"] == "y" and copy.predict([7])[0]["value"] > 100


@pytest.mark.parametrize("meta, message", [
    ({"inputs": {"x": {"dtype": "number", "min": "a", "max": 1}}, "outputs": {"y": {"dtype": "number"}}}, "finite numbers"),
    ({"inputs": {"x": {"dtype": "number", "min": 5, "max": 1}}, "outputs": {"y": {"dtype": "number"}}}, "larger than max"),
    ({"inputs": {"x": {}, "z": {}}, "outputs": {"y": {}}}, "describes 2 inputs"),
    ({"inputs": {"x": {}}, "outputs": {"y": {}}, "isNormalized": "yes"}, "isNormalized must be true or false"),
    ({"inputs": [], "outputs": {}}, "needs 'inputs' and 'outputs' objects"),
])
def test_bad_metadata_is_refused_and_changes_nothing(shared, tmp_path, meta, message):
    nn = NeuralNetwork(task="regression", seed=0)
    for x in range(10):
        nn.add_data({"x": x}, {"y": x})
    run(shared, nn.train({"epochs": 1, "yield_every": "epoch"}))
    path = nn.save(tmp_path)
    document = json.loads(path.read_text())
    document["userDefinedMetadata"]["py5ml"]["ml5_meta"] = meta
    path.write_text(json.dumps(document))
    before = (nn.model, nn.encoding)
    with pytest.raises(ModelFileError, match=message):
        nn.load(path)
    assert (nn.model, nn.encoding) == before


def test_image_models_are_sent_to_the_right_class():
    shared_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "teachable_machine" / "bricks_phone"
    with pytest.raises(ModelFileError, match="image_classifier"):
        NeuralNetwork().load(shared_data / "model.json")


def test_classify_needs_a_trained_model_and_a_real_row(shared):
    nn = NeuralNetwork().load(ML5 / "NeuralNetwork_load_model" / "model")
    for rows, message in [("255,0,0", "list of input rows"), ([], "list of input rows"), ([[1, 2]], "Expected 3 inputs")]:
        with pytest.raises(DataError, match=message):
            nn.classify_multiple(rows)
    with pytest.raises(DataError, match="callback must be a function"):
        nn.classify([1, 2, 3], "got_results")
