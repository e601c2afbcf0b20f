"""py5ml's model files against real TensorFlow.js 4.22 (pure-JS CPU backend) running in node.

py5ml saves, TF.js loads and predicts (tests/js/predict.js), and the other way round: TF.js trains
and saves (tests/js/make_fixtures.js), py5ml loads and predicts. `bash scripts/setup.sh` installs
@tensorflow/tfjs into tests/js/node_modules.
"""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from py5ml.formats._model_files import load_model, save_model

JS = Path(__file__).parent / "js"
COLORS = ["red-ish", "green-ish", "blue-ish", "orange-ish", "yellow-ish", "pink-ish", "purple-ish", "brown-ish", "grey-ish"]


@pytest.fixture(scope="module")
def node():
    if shutil.which("node") is None:
        pytest.skip("node is not installed: TF.js interop needs Node 20 (CI has it)")
    if not (JS / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.fail("@tensorflow/tfjs is missing: run `bash scripts/setup.sh` (or `cd tests/js && npm ci`)")
    return shutil.which("node")


def run_node(node, *args):
    proc = subprocess.run([node, *map(str, args)], cwd=JS, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"node {args} failed:\n{proc.stderr[-3000:]}"


def tfjs_predict(node, json_path, inputs, tmp_path):
    (tmp_path / "inputs.json").write_text(json.dumps(np.asarray(inputs).tolist()))
    run_node(node, "predict.js", json_path, tmp_path / "inputs.json", tmp_path / "result.json")
    return json.loads((tmp_path / "result.json").read_text())


def torch_predict(model, inputs):
    with torch.no_grad():
        return model(torch.as_tensor(np.asarray(inputs, dtype=np.float32))).numpy()


def test_color_classifier_loads_in_tfjs_with_same_outputs(node, tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 16), nn.Sigmoid(), nn.Linear(16, 9), nn.Softmax(dim=-1))
    path = save_model(model, tmp_path / "color", input_shape=(3,), metadata={"task": "classification", "labels": COLORS})
    inputs = np.random.default_rng(0).random((32, 3)).astype(np.float32)
    result = tfjs_predict(node, path, inputs, tmp_path)
    diff = np.abs(np.asarray(result["outputs"]) - torch_predict(model, inputs)).max()
    assert diff <= 1e-5, f"TF.js and torch disagree by {diff}"
    assert result["metadata"] == {"py5ml": {"task": "classification", "labels": COLORS}}


def test_feature_head_loads_in_tfjs_with_layers_intact(node, tmp_path):
    torch.manual_seed(1)
    head = nn.Sequential(nn.Flatten(), nn.Linear(7 * 7 * 256, 100), nn.ReLU(), nn.Linear(100, 3), nn.Softmax(dim=-1))
    path = save_model(head, tmp_path / "head", input_shape=(7, 7, 256))
    inputs = np.random.default_rng(1).random((2, 7, 7, 256)).astype(np.float32) * 0.05
    result = tfjs_predict(node, path, inputs, tmp_path)
    layers = [(l["className"], l["outputShape"], l["activation"]) for l in result["layers"]]
    assert layers == [("Flatten", [None, 12544], None), ("Dense", [None, 100], "relu"), ("Dense", [None, 3], "softmax")]
    assert result["inputShape"] == [None, 7, 7, 256]
    np.testing.assert_allclose(result["outputs"], torch_predict(head, inputs), atol=1e-5)


@pytest.fixture(scope="module")
def fresh_fixtures(node, tmp_path_factory):
    """Fixtures made right now by TF.js in node (the committed copies are checked the same way)."""
    out = tmp_path_factory.mktemp("tfjs_fixtures")
    run_node(node, "make_fixtures.js", out)
    return out


@pytest.mark.parametrize("case", ["tfjs_dense", "sharded", "ml5_neural_network"])
def test_tfjs_trained_models_predict_the_same_in_py5ml(fresh_fixtures, case):
    folder = fresh_fixtures / case
    loaded = load_model(folder / "model.json")
    inputs = json.loads((folder / "inputs.json").read_text())
    expected = json.loads((folder / "expected.json").read_text())
    np.testing.assert_allclose(torch_predict(loaded.model, inputs), expected, atol=1e-5)


def test_ml5_feature_extractor_head_from_tfjs(fresh_fixtures):
    folder = fresh_fixtures / "ml5_feature_extractor"
    loaded = load_model(folder / "model.json")
    x = np.fromfile(folder / "inputs.bin", dtype="<f4").reshape(1, 7, 7, 256)
    expected = json.loads((folder / "expected.json").read_text())
    np.testing.assert_allclose(torch_predict(loaded.model, x), expected, atol=1e-5)
    assert loaded.labels == ["rock", "paper", "scissors"] and loaded.input_shape == (7, 7, 256)


@pytest.mark.parametrize("case", ["tfjs_dense", "sharded", "ml5_neural_network"])
def test_committed_fixtures_still_load_in_tfjs(node, tmp_path, case):
    folder = JS / "fixtures" / case
    inputs = json.loads((folder / "inputs.json").read_text())
    result = tfjs_predict(node, folder / "model.json", inputs, tmp_path)
    np.testing.assert_allclose(result["outputs"], json.loads((folder / "expected.json").read_text()), atol=1e-6)


def test_py5ml_resave_of_tfjs_model_loads_back_in_tfjs(node, tmp_path):
    loaded = load_model(JS / "fixtures" / "tfjs_dense" / "model.json")
    path = save_model(loaded.model, tmp_path / "again", input_shape=loaded.input_shape)
    inputs = json.loads((JS / "fixtures" / "tfjs_dense" / "inputs.json").read_text())
    result = tfjs_predict(node, path, inputs, tmp_path)
    np.testing.assert_allclose(result["outputs"], torch_predict(loaded.model, inputs), atol=1e-5)
