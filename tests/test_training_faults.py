"""Training survives faults, in real py5 sketches under Xvfb (issue 4, item 4).

Each test runs a small sketch from ``tests/sketch_scripts/faults_*.py`` for a fixed number of
frames. The sketches print what they saw at the end (``frame_count=...``); the tests check that
the error was reported once, that drawing went on to the last frame, and that nothing hung
(every run has a timeout: a hang fails the test).
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT

SCRIPTS = ROOT / "tests" / "sketch_scripts"
FRAMES = 60
RED_BAND = (0, 0, 200, 60)  # where the faults_* sketches paint their error (200x120 canvas)


def run_sketch(run_py, name, *flags, frames=FRAMES, screenshot=None, timeout=180):
    args = [SCRIPTS / name, "--frames", frames, *flags]
    if screenshot is not None:
        args += ["--screenshot", screenshot]
    return run_py(*args, timeout=timeout)


def printed(stdout, key):
    """The value the sketch printed as ``key=value`` (the last such line)."""
    found = re.findall(rf"\b{key}=(.*?)(?: \w+=|$)", stdout, re.M)
    assert found, f"no {key}= in the output:\n{stdout}"
    return found[-1]


def red_fraction(png, box=RED_BAND):
    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)[box[1]:box[3], box[0]:box[2]]
    is_red = (pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)
    return float(is_red.mean())


def assert_reported_once(stderr, message):
    assert stderr.count("stopped with an error (the sketch keeps running)") == 1, stderr
    assert stderr.count("Traceback (most recent call last)") == 1, stderr
    assert stderr.count(message) == 1, stderr


# -- a user callback raises ---------------------------------------------------------------------
@pytest.mark.parametrize("kind, message", [
    ("sync", "ValueError: boom in on_batch_end"),
    ("async", "ValueError: boom in async on_batch_end"),
    ("nn", "ValueError: boom in while_training at epoch 0"),
])
def test_callback_error_is_reported_once_and_the_sketch_keeps_drawing(run_py, tmp_path, kind, message):
    png = tmp_path / "last.png"
    proc = run_sketch(run_py, "faults_callback_raises.py", "--kind", kind, screenshot=png)
    assert_reported_once(proc.stderr, message)
    assert int(printed(proc.stdout, "frame_count")) == FRAMES
    assert printed(proc.stdout, "task_is_done") == "True"
    assert printed(proc.stdout, "task_exception") == message
    assert int(printed(proc.stdout, "frames_after_error")) >= FRAMES // 2  # failed early, drew on
    assert red_fraction(png) > 0.6  # draw() showed the error


# -- the loss goes NaN -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind, yield_every", [("fit", "auto"), ("fit", "batch"), ("nn", "auto")])
def test_nan_loss_stops_training_with_a_lower_learning_rate_hint(run_py, tmp_path, kind, yield_every):
    png = tmp_path / "last.png"
    proc = run_sketch(run_py, "faults_nan_loss.py", "--kind", kind, "--yield-every", yield_every, screenshot=png)
    error = printed(proc.stdout, "task_exception")
    assert re.fullmatch(r"TrainingError: The loss became (nan|inf|-inf) at batch \d+: training stopped\. "
                        r"Try a lower learning rate.*", error), error
    assert_reported_once(proc.stderr, "The loss became")
    assert "TrainingError" in proc.stderr
    assert int(printed(proc.stdout, "frame_count")) == FRAMES
    assert int(printed(proc.stdout, "batches")) < 50  # it stopped, it did not train on with NaN
    assert red_fraction(png) > 0.9


# -- data that cannot be trained on ------------------------------------------------------------------
@pytest.mark.parametrize("case, message", [
    ("empty", "Add some examples before training!"),
    ("single", "All examples have the label 'only-label': add examples of at least two labels."),
    ("width", "Expected 3 inputs, got 4"),
])
def test_network_data_errors_come_before_training(run_py, case, message):
    proc = run_sketch(run_py, "faults_bad_data.py", "--case", case)
    assert printed(proc.stdout, "setup_error").startswith(f"DataError: {message}")
    assert printed(proc.stdout, "task_exception") == "no task"
    assert printed(proc.stdout, "train_begins") == "0" and printed(proc.stdout, "batches") == "0"
    assert int(printed(proc.stdout, "frame_count")) == FRAMES
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("case, message", [
    ("fit-empty", "There is no training data: x is empty."),
    ("fit-lengths", "x has 256 samples but y has 251: give one label per sample."),
    ("fit-width", "The model cannot take inputs of shape (4,)"),
])
def test_fit_data_errors_come_before_the_first_batch(run_py, case, message):
    proc = run_sketch(run_py, "faults_bad_data.py", "--case", case)
    assert printed(proc.stdout, "task_exception").startswith(f"DataError: {message}")
    assert printed(proc.stdout, "train_begins") == "0" and printed(proc.stdout, "batches") == "0"
    assert_reported_once(proc.stderr, message)
    assert int(printed(proc.stdout, "frame_count")) == FRAMES


# -- the sketch exits mid-training ---------------------------------------------------------------------
@pytest.mark.parametrize("yield_every", ["auto", "batch"])
def test_exit_mid_training_is_prompt_and_clean(run_py, yield_every):
    proc = run_sketch(run_py, "faults_exit_mid_training.py", "--yield-every", yield_every, frames=30, timeout=120)
    out = proc.stdout
    assert "frame_count=30 task_running=True nn_training=True" in out  # still training at the end
    assert re.search(r"^finally ran after [1-9]\d* batches$", out, re.M), out
    assert "after run_sketch: task_cancelled=True nn_training=False training_threads_alive=0" in out
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr, proc.stderr


# -- module, class and imported mode ------------------------------------------------------------------
def check_counts(stdout, mode):
    line = re.search(rf"^mode={mode} frame_count=(\d+) counted=(\d+) fit_done=True fit_loss=([\d.]+)$", stdout, re.M)
    assert line, stdout
    frame_count, counted, loss = int(line[1]), int(line[2]), float(line[3])
    assert frame_count == FRAMES
    assert abs(counted - frame_count) <= 2
    assert 0 < loss < 2


@pytest.mark.parametrize("mode", ["module", "class"])
def test_tasks_follow_the_frame_clock_in_module_and_class_mode(run_py, mode):
    proc = run_sketch(run_py, f"faults_modes_{mode}.py")
    check_counts(proc.stdout, mode)
    assert "Traceback" not in proc.stderr


def test_tasks_follow_the_frame_clock_in_imported_mode(display):
    """Imported mode runs through py5's own runner, as ``py5-run-sketch`` does."""
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1", PY5ML_FAULT_FRAMES=str(FRAMES))
    proc = subprocess.run([sys.executable, "-m", "py5_tools.tools.run_sketch", str(SCRIPTS / "faults_modes_imported.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    check_counts(proc.stdout, "imported")
    assert "Traceback" not in proc.stderr
