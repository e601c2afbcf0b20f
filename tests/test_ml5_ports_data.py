"""ml5's data examples ported to py5 (examples/ml5/): run headless, check their pictures and output.

Frame counts are about 5 times the frame at which each port had trained and drawn its answer on
the 2-core development machine: co2net 53, save_load_data 43, titanic_data_url 86. titanic_data_url
runs 700: with three test workers and a neighbour burning a core, it had reached only epoch 43 of
50 by frame 300, and epoch 47 by frame 430 (its debug panel draws every epoch, and training
yields to late frames).
"""

import json
import re

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT

ML5 = ROOT.parent / "shared" / "data" / "ml5_examples" / "NeuralNetwork"
EXAMPLES = ROOT / "examples" / "ml5"
PANEL = (28, 28, 32)


def picture(png):
    return np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)


def share_of(pixels, color, tolerance=3):
    return float((np.abs(pixels - np.array(color)).max(axis=2) <= tolerance).mean())


def whitish(pixels):
    return (pixels.min(axis=2) >= 170) & (pixels.max(axis=2) - pixels.min(axis=2) < 30)


def test_co2net_learns_tons_from_a_csv_with_the_debug_panel(run_py, tmp_path):
    csv = ML5 / "NeuralNetwork_co2net" / "data" / "co2stats.csv"
    png = tmp_path / "co2net.png"
    out = run_py(EXAMPLES / "nn_co2net.py", "--data", csv, "--seed", "3", "--frames", "270", "--screenshot", png, timeout=400).stdout
    tons = {int(p.replace(",", "")): float(t.replace(",", "")) for p, t in re.findall(r"population ([\d,]+): ([\d,]+) tons", out)}
    assert len(tons) == 8, out[-2000:]
    assert tons[10_000_000] > 1e6 and tons[10_000_000] > tons[100]  # in tons again, and rising with population
    pixels = picture(png)
    assert share_of(pixels[:, 390:], PANEL) > 0.5  # the panel, drawn by py5ml after draw()
    assert whitish(pixels[100:240, 420:710]).any(axis=0).sum() > 100  # the loss curve runs across its plot
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 40) & (pixels[..., 2] < 40)
    assert red[:, :380].sum() > 8 * 20  # eight predictions marked on the chart


def test_titanic_one_hot_encodes_words_and_shows_a_confusion_matrix(run_py, tmp_path):
    csv = ML5 / "NeuralNetwork_titanic" / "data" / "titanic_cleaned.csv"
    png = tmp_path / "titanic.png"
    out = run_py(EXAMPLES / "nn_titanic_data_url.py", "--data", csv, "--frames", "700", "--screenshot", png, timeout=400).stdout
    assert re.search(r"^prediction: (died|lived) \(\d+%\)$", out, re.M), out[-2000:]
    losses = [float(v) for v in re.findall(r"^Epoch: \d+ - loss: ([\d.]+)$", out, re.M)]
    assert len(losses) == 50 and losses[-1] < losses[0]
    pixels = picture(png)
    assert share_of(pixels[:, 390:], PANEL) > 0.4
    matrix = pixels[250:, 390:]
    green = (matrix[..., 1] > 180) & (matrix[..., 0] < 130) & (matrix[..., 2] < 160)
    assert green.sum() > 1000  # the confusion matrix's diagonal: most passengers judged right


def test_save_data_then_load_data_then_train(run_py, tmp_path):
    png = tmp_path / "save_load.png"
    out = run_py(EXAMPLES / "nn_save_load_data.py", "--demo", "--dir", tmp_path, "--frames", "220",
                 "--screenshot", png, timeout=400).stdout
    assert "saved 120 points" in out and "loaded 120 points" in out and "trained" in out
    saved = json.loads((tmp_path / "mouse_data.json").read_text())
    assert list(saved) == ["data"] and len(saved["data"]) == 120
    assert all(list(e) == ["xs", "ys"] and list(e["xs"]) == ["x", "y"] and e["ys"]["label"] in "ab"
               for e in saved["data"])
    pixels = picture(png)
    pink, blue = share_of(pixels, (255, 215, 215)), share_of(pixels, (210, 220, 255))
    assert pink > 0.2 and blue > 0.2  # the canvas is shaded by the trained network's answers
    assert share_of(pixels[:80, :80], (255, 215, 215), 0) > share_of(pixels[-80:, -80:], (255, 215, 215), 0)
