"""save_model / load_model in Python: round trips, labels, metadata, and the files ml5 0.x writes.

The ml5 and TF.js fixtures under tests/js/fixtures/ were written by real TF.js 4.22 in node
(tests/js/make_fixtures.js); their expected.json holds TF.js's own predictions.
"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from py5ml import ModelFileError
from py5ml.formats._model_files import LoadedModel, check_input_shape, load_model, save_model

FIXTURES = Path(__file__).parent / "js" / "fixtures"
COLORS = ["red-ish", "green-ish", "blue-ish", "orange-ish", "yellow-ish", "pink-ish", "purple-ish", "brown-ish", "grey-ish"]


def color_classifier():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 16), nn.Sigmoid(), nn.Linear(16, 9), nn.Softmax(dim=-1))


def feature_head():
    torch.manual_seed(1)
    return nn.Sequential(nn.Flatten(), nn.Linear(7 * 7 * 256, 100), nn.ReLU(), nn.Linear(100, 3), nn.Softmax(dim=1))


def predict(model, inputs):
    with torch.no_grad():
        return model(torch.as_tensor(np.asarray(inputs, dtype=np.float32))).numpy()


def test_color_classifier_round_trip(tmp_path):
    model = color_classifier()
    metadata = {"task": "classification", "labels": COLORS, "normalization": {"min": [0, 0, 0], "max": [255, 255, 255]}}
    path = save_model(model, tmp_path / "new", input_shape=(3,), metadata=metadata)
    assert path == tmp_path / "new" / "model.json"
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.json", "model.weights.bin"]
    loaded = load_model(path)
    x = np.random.default_rng(0).random((20, 3))
    np.testing.assert_allclose(predict(loaded.model, x), predict(model, x), atol=1e-6)
    assert (loaded.input_shape, loaded.labels, loaded.metadata, loaded.source) == ((3,), COLORS, metadata, "py5ml")
    assert not loaded.model.training
    assert all(p.dtype == torch.float32 for p in loaded.model.parameters())


def test_feature_head_round_trip(tmp_path):
    model = feature_head()
    save_model(model, tmp_path, "head", input_shape=(7, 7, 256), metadata={"labels": ["a", "b", "c"]})
    loaded = load_model(tmp_path / "head.json")
    x = np.random.default_rng(1).random((4, 7, 7, 256))
    np.testing.assert_allclose(predict(loaded.model, x), predict(model, x), atol=1e-6)
    assert loaded.input_shape == (7, 7, 256)
    assert [type(m).__name__ for m in loaded.model] == ["Flatten", "Linear", "ReLU", "Linear", "Softmax"]


def test_folder_path_and_layers_without_activation(tmp_path):
    model = nn.Sequential(nn.Linear(4, 5, bias=False), nn.Dropout(0.3), nn.Tanh(), nn.Linear(5, 2), nn.Identity(), nn.ELU())
    save_model(model.eval(), tmp_path, input_shape=(4,))
    loaded = load_model(tmp_path)  # a folder means folder/model.json
    x = np.random.default_rng(2).random((6, 4))
    np.testing.assert_allclose(predict(loaded.model, x), predict(model, x), atol=1e-6)
    assert loaded.metadata == {} and loaded.labels is None


def test_saved_json_is_tfjs_layers_format(tmp_path):
    path = save_model(color_classifier(), tmp_path, input_shape=(3,), metadata={"labels": COLORS})
    doc = json.loads(path.read_text())
    assert doc["format"] == "layers-model" and doc["generatedBy"].startswith("py5ml ")
    layers = doc["modelTopology"]["config"]["layers"]
    assert [(l["class_name"], l["config"]["activation"]) for l in layers] == [("Dense", "sigmoid"), ("Dense", "softmax")]
    assert layers[0]["config"]["batch_input_shape"] == [None, 3]
    assert doc["weightsManifest"][0]["paths"] == ["./model.weights.bin"]
    assert [w["shape"] for w in doc["weightsManifest"][0]["weights"]] == [[3, 16], [16], [16, 9], [9]]
    assert doc["userDefinedMetadata"] == {"py5ml": {"labels": COLORS}}


def test_unsupported_module_is_named(tmp_path):
    with pytest.raises(ModelFileError, match="cannot save Conv2d.*Supported modules: nn.Linear"):
        save_model(nn.Sequential(nn.Conv2d(3, 4, 3)), tmp_path, input_shape=(8, 8, 3))
    assert not (tmp_path / "model.json").exists()


@pytest.mark.parametrize("bad", [{"labels": ["only", "two"]}, {"x": float("nan")}, {"x": object()}])
def test_bad_metadata_is_refused_before_writing(tmp_path, bad):
    with pytest.raises(ModelFileError, match="labels but the model's last layer has 9|plain JSON data"):
        save_model(color_classifier(), tmp_path, input_shape=(3,), metadata=bad)
    assert list(tmp_path.iterdir()) == []


def test_check_input_shape():
    head = LoadedModel(nn.Sequential(), (7, 7, 256), {}, None, "ml5-feature-extractor")
    check_input_shape(head, (7, 7, 256), "ml5 MobileNet v1")
    message = r"expects input \(7, 7, 256\) \(ml5's MobileNet v1 7×7×256 feature map\).*\(576,\).*retrain the head"
    with pytest.raises(ModelFileError, match=message):
        check_input_shape(head, (576,), "mobilenet_v3_small pooled features")


def expected(folder):
    return np.asarray(json.loads((folder / "expected.json").read_text()), dtype=np.float32)


def test_model_trained_in_tfjs_predicts_the_same():
    loaded = load_model(FIXTURES / "tfjs_dense" / "model.json")
    inputs = json.loads((FIXTURES / "tfjs_dense" / "inputs.json").read_text())
    np.testing.assert_allclose(predict(loaded.model, inputs), expected(FIXTURES / "tfjs_dense"), atol=1e-5)
    assert loaded.source == "tfjs" and loaded.input_shape == (4,)


def test_sharded_weights_found_by_name():
    folder = FIXTURES / "sharded"
    loaded = load_model(folder / "model.json")
    inputs = json.loads((folder / "inputs.json").read_text())
    np.testing.assert_allclose(predict(loaded.model, inputs), expected(folder), atol=1e-5)


def test_ml5_feature_extractor_head():
    folder = FIXTURES / "ml5_feature_extractor"
    loaded = load_model(folder / "model.json")
    x = np.fromfile(folder / "inputs.bin", dtype="<f4").reshape(1, 7, 7, 256)
    np.testing.assert_allclose(predict(loaded.model, x), expected(folder), atol=1e-5)
    assert (loaded.source, loaded.labels, loaded.input_shape) == ("ml5-feature-extractor", ["rock", "paper", "scissors"], (7, 7, 256))
    with pytest.raises(ModelFileError, match="ml5's MobileNet v1"):
        check_input_shape(loaded, (1280,), "mobilenet_v2 pooled features")


def test_ml5_neural_network_three_files():
    folder = FIXTURES / "ml5_neural_network"
    loaded = load_model(folder / "model.json")
    inputs = json.loads((folder / "inputs.json").read_text())
    np.testing.assert_allclose(predict(loaded.model, inputs), expected(folder), atol=1e-5)
    assert loaded.source == "ml5-neural-network"
    assert loaded.labels == ["red-ish", "green-ish", "blue-ish"]
    assert loaded.metadata["task"] == "classification"
    assert loaded.metadata["ml5_meta"]["inputs"]["r"] == {"dtype": "number", "min": 0, "max": 255}


def test_int32_weights_in_several_groups(tmp_path):
    kernel = np.array([[1, -2], [3, 4], [0, 5]], dtype="<i4")
    bias = np.array([0.5, -0.25], dtype="<f4")
    (tmp_path / "a.bin").write_bytes(bias.tobytes())
    (tmp_path / "b1.bin").write_bytes(kernel.tobytes()[:7])
    (tmp_path / "b2.bin").write_bytes(kernel.tobytes()[7:])
    doc = {"modelTopology": {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [None, 3]}}]}},
        "weightsManifest": [
            {"paths": ["a.bin"], "weights": [{"name": "d/bias", "shape": [2], "dtype": "float32"}]},
            {"paths": ["b1.bin", "b2.bin"], "weights": [{"name": "d/kernel", "shape": [3, 2], "dtype": "int32"}]}]}
    (tmp_path / "model.json").write_text(json.dumps(doc))
    out = predict(load_model(tmp_path).model, [[1, 1, 1]])
    np.testing.assert_allclose(out, [[4.5, 6.75]])


def test_ml5_labels_fewer_than_outputs_show_indices(tmp_path):
    folder = FIXTURES / "ml5_feature_extractor"
    doc = json.loads((folder / "model.json").read_text())
    doc["ml5Specs"]["mapStringToIndex"] = ["rock", "paper"]
    (tmp_path / "model.json").write_text(json.dumps(doc))
    (tmp_path / "model.weights.bin").write_bytes((folder / "model.weights.bin").read_bytes())
    assert load_model(tmp_path).labels == ["rock", "paper", "2"]
