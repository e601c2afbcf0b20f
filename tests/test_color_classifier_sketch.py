"""The color-classifier sketch, run for real: py5 under Xvfb, real pixels, real model files."""

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, python_run

SKETCH = ROOT / "sketches" / "color_classifier" / "color_classifier.py"
JS = ROOT / "tests" / "js"

# Layout of the sketch (640x480): the label box and the loss-graph panel.
LABEL_BOX = (16, 16, 316, 128)
GRAPH = (384, 48, 384 + 232, 48 + 130)


def crop(png, box):
    return np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)[box[1]:box[3], box[0]:box[2]]


def whitish(pixels, level=225):
    return int((pixels.min(axis=2) >= level).sum())


@pytest.fixture(scope="module")
def trained(tmp_path_factory, color_data_path, display):
    """Train once with the lesson's settings, save the model, keep the screenshot and output."""
    import os

    out = tmp_path_factory.mktemp("color")
    cmd = [SKETCH, "--data", color_data_path, "--epochs", "10", "--frames", "720",
           "--save", out / "model", "--screenshot", out / "trained.png"]
    env = dict(os.environ, DISPLAY=display)
    proc = python_run(cmd, cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout


def test_lesson_settings_reach_val_acc_064(trained):
    _, stdout = trained
    final = re.findall(r"^val_acc=([\d.]+) val_loss=([\d.]+)$", stdout, re.M)
    assert len(final) == 1, stdout
    val_acc, val_loss = map(float, final[0])
    # The lesson's 0.64, less a little for an unseeded run: 12 seeds gave 0.646-0.678 (mean 0.661),
    # TF.js 0.643-0.660 in 3 runs, and one sketch run 0.639. Chance is 1/9.
    assert val_acc >= 0.63
    assert 0 < val_loss < 2.2  # below chance (ln 9 = 2.197)


def test_save_writes_tfjs_files(trained):
    out, _ = trained
    model_json = json.loads((out / "model" / "model.json").read_text())
    assert model_json["format"] == "layers-model"
    layers = model_json["modelTopology"]["config"]["layers"]
    assert [l["config"]["units"] for l in layers] == [16, 9]
    assert (out / "model" / "model.weights.bin").stat().st_size == 4 * (3 * 16 + 16 + 16 * 9 + 9)
    assert model_json["userDefinedMetadata"]["py5ml"]["labels"][0] == "red-ish"


def test_trained_screenshot_shows_label_and_loss_graph(trained):
    out, _ = trained
    png = out / "trained.png"
    assert Image.open(png).size == (640, 480)
    assert whitish(crop(png, LABEL_BOX)) > 300  # the big white label text on its dark box
    graph = crop(png, GRAPH)
    line_columns = (graph.min(axis=2) >= 150).any(axis=0).mean()  # antialiased: not all pure white
    assert line_columns > 0.8  # the white batch-loss line runs across the whole graph: training is done
    green = (graph[..., 1] > 180) & (graph[..., 0] < 150) & (graph[..., 2] < 170)
    orange = (graph[..., 0] > 220) & (graph[..., 1] > 130) & (graph[..., 1] < 200) & (graph[..., 2] < 100)
    assert green.sum() > 20 and orange.sum() > 20  # val_acc and val_loss marks, one per epoch


def test_mid_training_screenshot_shows_sweeping_line_and_growing_graph(run_py, color_data_path, tmp_path):
    png = tmp_path / "mid.png"
    run_py(SKETCH, "--data", color_data_path, "--yield-every", "batch", "--frames", "90", "--screenshot", png)
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    graph = crop(png, GRAPH)
    loss_cols = np.nonzero((graph.min(axis=2) >= 225).any(axis=0))[0]
    assert 1 <= loss_cols.max() - loss_cols.min() < 40  # ~90 of 1590 batches: a short line at the left
    band = pixels[210:300]  # plain background under the label box: orange (230, 120, 40)
    light_cols = np.nonzero((band[..., 2] > 150).mean(axis=0) > 0.9)[0]
    assert len(light_cols) >= 2 and light_cols.max() - light_cols.min() < 6  # one light vertical line


def test_load_classifies_at_once_like_the_trained_sketch(trained, run_py, tmp_path):
    out, stdout = trained
    before = re.search(r"^label=(\S+) confidence=([\d.]+)$", stdout, re.M)
    png = tmp_path / "loaded.png"
    proc = run_py(SKETCH, "--load", out / "model" / "model.json", "--frames", "10", "--screenshot", png)
    after = re.search(r"^label=(\S+) confidence=([\d.]+)$", proc.stdout, re.M)
    assert "val_acc=" not in proc.stdout  # no training
    assert before and after and before.group(1) == after.group(1)
    assert abs(float(before.group(2)) - float(after.group(2))) < 1e-6
    assert whitish(crop(png, LABEL_BOX)) > 300


def test_load_of_missing_model_says_so_and_keeps_running(run_py, tmp_path):
    proc = run_py(SKETCH, "--load", tmp_path / "nope" / "model.json", "--frames", "5")
    assert "could not load" in proc.stdout


@pytest.mark.skipif(shutil.which("node") is None or not (JS / "node_modules" / "@tensorflow").exists(),
                    reason="TF.js (node + tests/js/node_modules) is set up by scripts/setup.sh")
def test_saved_model_scores_the_same_in_tfjs(trained, color_data_path, tmp_path):
    """TF.js itself loads the sketch's model and scores all 5,643 colors like py5ml does."""
    import torch

    import py5ml

    out, _ = trained
    data = py5ml.load_color_data(color_data_path)
    inputs = (data.rgb / 255).tolist()
    (tmp_path / "inputs.json").write_text(json.dumps(inputs))
    proc = subprocess.run(["node", "predict.js", out / "model" / "model.json", tmp_path / "inputs.json", tmp_path / "r.json"],
                          cwd=JS, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    tfjs_probs = np.array(json.loads((tmp_path / "r.json").read_text())["outputs"])
    ours = py5ml.load_model(out / "model" / "model.json").model(torch.tensor(inputs)).detach().numpy()
    assert np.abs(tfjs_probs - ours).max() <= 1e-5
    acc = float((tfjs_probs.argmax(1) == data.label_indices()).mean())
    assert acc >= 0.70, acc  # TF.js's own model scores ~0.74 on all rows
