"""Every ml5 NeuralNetwork port in examples/ml5/ runs headless and draws what it should.

Frame counts leave room for a busy machine: each is at least 4 times (5 times where a run failed)
the frame at which the port had trained and drawn its answer on the 2-core development machine,
quiet or with a neighbour burning a core (training takes a share of each frame, so it finishes
at about the same frame either way): basics 36, titanic 39, classify_multiple 53,
simple_classification 66, custom_layers 71, xor 129, simple_regression 152. Three test workers
plus that neighbour slow training further: custom_layers had not finished by frame 300 there.
"""

import re

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT

EXAMPLES = ROOT / "examples" / "ml5"


def run_example(run_py, tmp_path, name, frames, *flags):
    png = tmp_path / f"{name}.png"
    proc = run_py(EXAMPLES / f"{name}.py", *flags, "--frames", frames, "--screenshot", png, timeout=400)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc.stdout, np.asarray(Image.open(png).convert("RGB")).astype(int)


def count(image, color, tolerance=40):
    return int((np.abs(image - color).max(axis=2) <= tolerance).sum())


def debug_panel_shown(image):
    """debug=True: py5ml's training panel covers the right 240 pixels of a 400-pixel canvas."""
    return count(image[:, 160:], (28, 28, 32), 3) > 0.5 * 240 * 400


def test_basics(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_basics", 200)
    assert "classified: red-ish" in out
    assert count(image[:, :160], (230, 60, 30), 5) > 0.9 * 160 * 400 and count(image[:, :160], (255, 255, 255), 30) > 100
    assert debug_panel_shown(image)


def test_xor(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_xor", 650)
    assert "trained" in out
    corners = [image[10, 10], image[10, 390], image[390, 10], image[390, 390]]  # (row, col)
    assert corners[0].max() < 60 and corners[3].max() < 60  # 0 xor 0, 1 xor 1
    assert corners[1].min() > 190 and corners[2].min() > 190  # 1 xor 0, 0 xor 1


def test_simple_classification(run_py, tmp_path):
    # The probe circles the canvas (angle 0.03 per frame): at frame 291, as at frame 500, its guess
    # sits over group C at the lower left, where the blue is counted.
    out, image = run_example(run_py, tmp_path, "nn_simple_classification", 291, "--demo")
    assert "trained" in out
    left = image[:, :160]  # group B, at (300, 120), is under the debug panel
    assert count(left, (230, 60, 60), 10) > 500 and count(left, (70, 110, 240), 10) > 50
    assert debug_panel_shown(image)


def test_simple_regression(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_simple_regression", 760, "--demo")
    loss = float(re.search(r"trained: loss ([\d.]+)", out)[1])
    assert loss < 0.05
    left = image[:, :160]  # the right of the canvas shows the debug panel
    assert count(left, (0, 220, 255), 30) > 250 and count(left, (255, 200, 0), 30) > 400  # the curve, the points
    assert debug_panel_shown(image)


def test_load_model(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_load_model", 200)
    assert "loaded; labels: green-ish, pink-ish" in out
    seen = re.findall(r"now: (\S+)", out)
    assert seen[0] == "red-ish" and "green-ish" in seen  # hue 0 to 200: red, orange, yellow, green...
    assert count(image, (0, 0, 0), 5) > 20000 and count(image, (255, 255, 255), 30) > 100  # the label band


def test_custom_layers(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_custom_layers", 360)
    assert float(re.search(r"trained: accuracy ([\d.]+)", out)[1]) > 0.85
    # 500 data points (5-pixel dots) lie over the answer cells, so judge patches by their majority
    centre, corner, far_corner = image[190:210, 190:210], image[:20, :20], image[380:, 380:]
    assert count(centre, (250, 150, 40)) > 0.7 * 400
    assert count(corner, (40, 60, 120)) > 0.7 * 400 and count(far_corner, (40, 60, 120)) > 0.7 * 400


def test_classify_multiple(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_classify_multiple", 270)
    assert "classified 400 cells" in out
    assert image[20, 30][0] > image[20, 30][2] + 40   # the A corner is tinted red
    assert image[30, 380][1] > image[30, 380][0] + 40  # the B corner green
    assert image[390, 200][2] > image[390, 200][0] + 40  # the C side blue


def test_titanic(run_py, tmp_path):
    out, image = run_example(run_py, tmp_path, "nn_titanic", 300)
    chances = [float(x) for x in re.search(r"chance of living: (.*)", out)[1].split(", ")]
    assert len(chances) == 6 and chances[0] > 0.7 and chances[5] < 0.4  # first-class woman, third-class man
    bars = [count(image[38 + i * 60:62 + i * 60], (40, 160, 90), 10) for i in range(6)]
    assert bars[0] > 1.5 * bars[5] > 0  # the bars are drawn as long as the answers (up to the debug panel at x=160)
    assert debug_panel_shown(image)
