"""ml5's FeatureExtractor and KNN p5.js examples, ported to py5 (examples/ml5/), run for real under
Xvfb with ``--frames N --screenshot PATH``. Each ``--demo`` makes the clicks a person would make on
the synthetic scene (balloon or not) with ml5's own MobileNet v1 files, prints what it concluded,
and its screenshot is checked for what a person should see."""

import os
import re

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, python_run
from tfjs_node import MOBILENET_V1, need_shared

PORTS = ROOT / "examples" / "ml5"


def run_port(display, tmp_path, name):
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1")
    shot = tmp_path / f"{name}.png"
    proc = python_run([PORTS / f"{name}.py", "--demo", "--weights", need_shared(MOBILENET_V1),
                       "--frames", "5000", "--screenshot", shot], cwd=tmp_path, env=env, timeout=500)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    match = re.search(r"^demo (.*)$", proc.stdout, re.M)
    assert match, proc.stdout[-2000:]
    image = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert image[60:470].std() > 8  # the scene, not a blank canvas
    return match.group(1), image


def near(region, color, tol=40):
    return np.abs(region - np.array(color)).max(axis=2) < tol


def white_text(region):
    return int(near(region, (255, 255, 255), 50).sum())


def test_feature_extractor_image_classification(display, tmp_path):
    said, image = run_port(display, tmp_path, "fe_image_classification")
    label, confidence = re.fullmatch(r"label=(\w+) ([0-9.]+)", said).groups()
    assert label == "balloon" and float(confidence) >= 0.6
    assert image.shape == (560, 640, 3)
    assert white_text(image[5:50, 0:260]) > 150  # "balloon 1.00", big
    assert white_text(image[495:530, 485:640]) > 60  # "training complete"


def test_feature_extractor_image_regression_moves_the_marker(display, tmp_path):
    said, image = run_port(display, tmp_path, "fe_image_regression")
    value = float(re.fullmatch(r"value=([-0-9.]+)", said).group(1))
    assert value > 0.55  # trained: balloon 0.9, none 0.1; the balloon is showing
    marker = near(image[480:497], (255, 150, 0))
    xs = np.nonzero(marker)[1]
    assert len(xs) > 40 and abs(xs.mean() - (10 + 620 * min(value, 1))) < 12  # the marker sits at the value


def test_knn_video_classifies_without_training(display, tmp_path):
    said, image = run_port(display, tmp_path, "knn_video")
    assert said == "label=Rock counts={'Rock': 8, 'Paper': 8}"
    assert image.shape == (620, 640, 3)
    assert white_text(image[5:50, 0:120]) > 100  # "Rock"
    assert white_text(image[532:604, 0:200]) > 300  # the counts and confidences


def test_knn_video_square_steers_the_square(display, tmp_path):
    said, image = run_port(display, tmp_path, "knn_video_square")
    label, x = re.fullmatch(r"label=(\w+) x=(\d+)", said).groups()
    assert label == "Right" and int(x) > 400  # started at 320, moved right
    square = np.nonzero(near(image[:480], (255, 0, 200), 30))
    assert len(square[1]) > 1000 and square[1].mean() > 400 and abs(square[1].mean() - int(x)) < 30  # 40x40, right
