"""The happy / sad sketches, run for real under Xvfb: the demo trains, saves and scores itself;
the load sketch picks the saved head up in a fresh process. Screenshots are checked pixel by pixel.

MobileNet's weights are made unreachable on purpose (an empty torch cache and a proxy that refuses),
so these runs also prove the offline fallback to EfficientNet-Lite0 — on screen and in the terminal.
"""

import os
import re

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT, python_run

TRAIN = ROOT / "sketches" / "happy_sad" / "happy_sad.py"
LOAD = ROOT / "sketches" / "happy_sad_load" / "happy_sad_load.py"
NOTE_YELLOW = (255, 220, 90)


def run_sketch(display, tmp, *args, timeout=240):
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1", TORCH_HOME=str(tmp / "torch_home"),
               https_proxy="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9")
    proc = python_run(args, cwd=tmp, env=env, timeout=timeout)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def demo(display, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("happy_sad")
    proc = run_sketch(display, tmp, TRAIN, "--demo", "--save", tmp / "model", "--screenshot", tmp / "train.png")
    return tmp, proc


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def count_near(region, color, tol=40):
    return int((np.abs(region - np.array(color)).max(axis=2) < tol).sum())


def assert_video_buttons_label(shot, button_boxes, label_box):
    assert shot.shape == (560, 640, 3)
    video = shot[60:470, :]
    assert video.std() > 8 and video.mean() > 90  # a real picture, not a blank canvas
    for x0, y0, x1, y1 in button_boxes:
        button = shot[y0:y1, x0:x1]
        assert count_near(button, (20, 20, 28), 25) > 0.5 * button.size / 3  # the dark panel
        assert count_near(button, (255, 255, 255), 60) > 20  # its white text
    x0, y0, x1, y1 = label_box
    assert count_near(shot[y0:y1, x0:x1], (255, 255, 255), 60) > 150  # the label, in big letters


def test_demo_reaches_high_accuracy_on_fresh_frames(demo):
    _, proc = demo
    last = proc.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"accuracy=([0-9.]+) examples=(\d+)", last)
    assert match, last
    assert float(match.group(1)) >= 0.95 and int(match.group(2)) == 60


def test_demo_says_it_fell_back_to_efficientnet(demo):
    tmp, proc = demo
    assert "MobileNet weights unavailable: using EfficientNetLite0" in proc.stdout
    assert "Two ways out" in proc.stderr  # the BackboneError, in full
    shot = pixels(tmp / "train.png")
    assert count_near(shot[25:55, 0:460], NOTE_YELLOW) > 100  # ... and on screen


def test_demo_saves_the_head_and_the_examples(demo):
    tmp, _ = demo
    for name in ("model.json", "model.weights.bin", "examples.npz"):
        assert (tmp / "model" / name).stat().st_size > 0
    with np.load(tmp / "model" / "examples.npz", allow_pickle=False) as data:
        assert sorted(set(data["labels"].tolist())) == ["happy", "sad"]


def test_train_screenshot_shows_video_buttons_and_label(demo):
    tmp, _ = demo
    boxes = [(10, 490, 150, 524), (160, 490, 300, 524), (330, 490, 470, 524), (480, 490, 620, 524)]
    assert_video_buttons_label(pixels(tmp / "train.png"), boxes, (10, 525, 200, 558))


def test_load_sketch_classifies_with_the_saved_model(demo, display):
    tmp, _ = demo
    shot_path = tmp / "load.png"
    proc = run_sketch(display, tmp, LOAD, "--load", tmp / "model" / "model.json", "--source", "synthetic",
                      "--frames", "150", "--screenshot", shot_path)
    assert "model ready, labels ['happy', 'sad']" in proc.stdout
    shot = pixels(shot_path)
    assert_video_buttons_label(shot, [(330, 490, 470, 524), (480, 490, 620, 524)], (10, 494, 200, 526))
    assert count_near(shot[0:30, 0:200], (255, 255, 255), 60) > 50  # "model ready"
