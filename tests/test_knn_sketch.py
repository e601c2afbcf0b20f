"""The KNN webcam lesson sketch, run for real under Xvfb on ml5's own MobileNet v1 (offline files):
the demo adds examples from the synthetic scene, classifies without training, scores itself, and its
screenshot shows the confidence bars."""

import os
import re

import numpy as np
from PIL import Image

from conftest import ROOT, python_run
from tfjs_node import MOBILENET_V1, need_shared

SKETCH = ROOT / "sketches" / "knn_classifier" / "knn_classifier.py"
ORANGE, GRAY = (255, 110, 80), (60, 60, 60)


def count_near(region, color, tol=30):
    return int((np.abs(region.astype(int) - np.array(color)).max(axis=2) < tol).sum())


def test_the_demo_classifies_without_training_and_draws_the_bars(display, tmp_path):
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1")
    shot = tmp_path / "knn.png"
    proc = python_run([SKETCH, "--demo", "--weights", need_shared(MOBILENET_V1), "--screenshot", shot],
                      cwd=tmp_path, env=env, timeout=400)
    assert proc.returncode == 0, proc.stderr[-3000:]
    match = re.search(r"^accuracy=([0-9.]+) examples=(\d+)$", proc.stdout, re.M)
    assert match and float(match.group(1)) >= 0.8 and int(match.group(2)) == 24, proc.stdout[-2000:]
    image = np.asarray(Image.open(shot).convert("RGB"))
    assert image.shape == (600, 640, 3)
    assert image[40:480].std() > 8  # the scene, not a blank canvas
    bar_a, bar_b, bar_c = (image[502 + 32 * i:522 + 32 * i, 152:548] for i in range(3))
    assert count_near(bar_a, ORANGE) > 0.8 * bar_a.shape[0] * bar_a.shape[1]  # A: the balloon, full
    assert count_near(bar_b, GRAY, 8) > 0.8 * bar_b.shape[0] * bar_b.shape[1]  # B and C: empty
    assert count_near(bar_c, GRAY, 8) > 0.8 * bar_c.shape[0] * bar_c.shape[1]
    assert count_near(image[420:475, 570:630], ORANGE) > 100  # the big "A"
    assert count_near(image[500:600, 0:140], (255, 255, 255), 60) > 200  # "A  12 examples"...
