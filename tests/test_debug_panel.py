"""debug=True: the training panel, as a fit callback and drawn for real by a py5 sketch."""

import asyncio
import json
import re
import textwrap
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PIL import Image

from py5ml import NeuralNetwork, fit
from py5ml.sketch._debug_panel import DebugPanel, debug_callbacks
from py5ml.sketch._debug_plots import confusion_matrix, model_summary

pytestmark = pytest.mark.usefixtures("one_torch_thread")

BACKGROUND = (200, 120, 60)
PANEL = (28, 28, 32)


def two_blobs(n=120, seed=0):
    """Two labels a network separates easily: left points are "A", right points are "B"."""
    rng = np.random.default_rng(seed)
    xs = rng.random((n, 2)).astype(np.float32)
    labels = np.where(xs[:, 0] < 0.5, 0, 1)
    return xs, np.eye(2, dtype=np.float32)[labels]


def color_model():
    return torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 9), torch.nn.Softmax(dim=1))


def test_summary_lists_layers_units_and_parameters():
    assert model_summary(color_model()) == [("dense_1 (sigmoid)", "16", 64), ("dense_2 (softmax)", "9", 153)]


def test_confusion_matrix_counts_truth_against_prediction():
    model = torch.nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))  # predicts the larger of the two inputs
    xs = np.array([[1, 0], [1, 0], [0, 1], [1, 0]], dtype=np.float32)
    ys = np.eye(2, dtype=np.float32)[[0, 1, 1, 1]]  # the 2nd and 4th are "B" but look like "A"
    assert confusion_matrix(model, xs, ys).tolist() == [[1, 0], [2, 1]]


def test_panel_hears_every_batch_and_epoch_then_judges_the_validation_rows():
    xs, ys = two_blobs(100)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Sigmoid(), torch.nn.Linear(8, 2), torch.nn.Softmax(dim=1))
    panel = DebugPanel()
    panel.set_data(xs, ys, ["A", "B"])
    asyncio.run(fit(model, xs, ys, epochs=3, batch_size=10, validation_split=0.2, callbacks=[panel]))
    assert len(panel.curves.logs) == 3
    assert {"loss", "acc", "val_loss", "val_acc"} <= set(panel.curves.logs[-1])
    assert panel.graph.trace.total == 3 * 8  # 80 training rows in batches of 10
    assert panel.summary[0] == ("dense_1 (sigmoid)", "8", 24)
    assert panel.matrix.counts.sum() == 20  # the 20 held-out rows, not the training rows
    assert panel.matrix.labels == ["A", "B"]


def test_key_toggles_once_per_press():
    panel = DebugPanel()
    for is_down, key in [(True, "d"), (True, "d"), (True, "d"), (False, "d")]:  # held for three frames
        panel.poll_key(is_down, key)
    assert panel.is_hidden
    panel.poll_key(True, "x")
    assert panel.is_hidden  # other keys are the user's
    panel.poll_key(True, "D")
    assert not panel.is_hidden


def test_network_debug_attribute_shows_and_hides():
    network = SimpleNamespace(debug=True)
    panel = DebugPanel(network)
    assert panel.is_shown
    network.debug = False
    assert not panel.is_shown


def test_no_panel_without_debug_and_one_panel_across_trainings():
    xs, ys = two_blobs(10)
    assert debug_callbacks(SimpleNamespace(debug=False), xs, ys, ["A", "B"], sketch=None) == []
    network = SimpleNamespace(debug=True)
    first = debug_callbacks(network, xs, ys, ["A", "B"])
    second = debug_callbacks(network, xs, ys, ["A", "B"])
    assert first == second == [network.debug_panel]


SKETCH = """
import json, sys
import numpy as np, py5, py5ml

hide = sys.argv[2] == "hide"
nn = py5ml.NeuralNetwork(inputs=["x", "y"], debug=True, seed=3, learning_rate=0.5)
rng = np.random.default_rng(0)
done_at = None

def setup():
    py5.size(640, 480)
    for x, y in rng.random((160, 2)):
        nn.add_data([x, y], "left" if x < 0.5 else "right")
    nn.train(epochs=40, batch_size=16, validation_split=0.25)

def draw():
    global done_at
    if done_at is not None and py5.frame_count >= done_at + 3 or py5.frame_count > 3000:
        py5.save_frame(sys.argv[1])  # before background(): the last frame, panel included
        panel = nn.debug_panel
        g = panel.graph
        print("graph=" + json.dumps([g.x + panel.origin[0], g.y + panel.origin[1], g.w, g.h]))
        print("matrix=" + json.dumps(panel.matrix.counts.tolist()))
        py5.exit_sketch()
        return
    py5.background(200, 120, 60)
    if nn.is_trained and done_at is None:
        done_at = py5.frame_count
        nn.debug = not hide

py5.run_sketch()
"""


@pytest.fixture(scope="module")
def sketch_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("debug") / "debug_sketch.py"
    path.write_text(textwrap.dedent(SKETCH))
    return path


def run_debug_sketch(run_py, sketch_file, tmp_path, mode):
    png = tmp_path / f"{mode}.png"
    out = run_py(sketch_file, png, mode).stdout
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    return pixels, out


def share_of(pixels, color, tolerance=3):
    return float((np.abs(pixels - np.array(color)).max(axis=2) <= tolerance).mean())


def test_panel_is_drawn_after_draw_with_curve_and_confusion_matrix(run_py, sketch_file, tmp_path):
    pixels, out = run_debug_sketch(run_py, sketch_file, tmp_path, "show")
    assert share_of(pixels[:, :290], BACKGROUND) > 0.99  # the sketch's own drawing is untouched
    assert share_of(pixels[:, 310:], PANEL) > 0.5  # the panel covers the right 340 pixels
    x, y, w, h = (int(v) for v in json.loads(re.search(r"graph=(.*)", out).group(1)))
    plot = pixels[y + 2:y + h - 2, x + 2:x + w - 2]
    whitish = (plot.min(axis=2) >= 170) & (plot.max(axis=2) - plot.min(axis=2) < 30)
    assert whitish.any(axis=0).sum() > w // 4  # the white batch-loss line runs across the plot
    counts = np.array(json.loads(re.search(r"matrix=(.*)", out).group(1)))
    assert counts.sum() == 40 and np.trace(counts) >= 30  # 160 * 0.25 held out, mostly right
    bottom = pixels[300:, 310:]
    green = (bottom[..., 1] > 180) & (bottom[..., 0] < 130) & (bottom[..., 2] < 160)
    assert green.sum() > 400  # two bright diagonal cells


def test_nn_debug_false_hides_the_panel(run_py, sketch_file, tmp_path):
    pixels, _ = run_debug_sketch(run_py, sketch_file, tmp_path, "hide")
    assert share_of(pixels, BACKGROUND) > 0.99
