"""In a real sketch, classifying again inside the result callback loops for thousands of results
without recursion; results arrive on later frames, and a callback's error is blamed on it."""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT

MODEL = ROOT.parent / "shared" / "data" / "ml5_examples" / "NeuralNetwork" / "NeuralNetwork_load_model" / "model" / "model.json"
SCRIPT = ROOT / "tests" / "sketch_scripts" / "nn_classify_loop.py"


def report(stdout):
    match = re.search(r"results=(\d+) frames=(\d+) deepest_stack=(\d+) label=(\S+)", stdout)
    assert match, stdout
    return int(match[1]), int(match[2]), int(match[3]), match[4]


@pytest.mark.parametrize("shape", ["error-first", "results-only"])
def test_classify_inside_the_callback_runs_2000_times_without_recursion(run_py, tmp_path, shape):
    png = tmp_path / "loop.png"
    frames = 2050 if shape == "error-first" else 600
    proc = run_py(SCRIPT, "--model", MODEL, "--shape", shape, "--frames", frames, "--screenshot", png, timeout=400)
    results, frame_count, deepest, label = report(proc.stdout)
    assert results >= frames - 2 and results <= frame_count  # one result per frame, never two in one call
    assert deepest < 40  # the stack stays flat: nothing nests
    assert "RecursionError" not in proc.stderr and "Traceback" not in proc.stderr
    pixels = np.asarray(Image.open(png).convert("L"))
    assert (pixels > 200).sum() > 50  # the results text is drawn


def test_an_error_in_the_callback_is_blamed_on_the_callback(run_py, tmp_path):
    proc = run_py(SCRIPT, "--model", MODEL, "--raise-at", "5", "--frames", "60", "--screenshot", tmp_path / "x.png")
    results, *_ = report(proc.stdout)
    assert results == 5  # the loop stopped where the callback failed, and the sketch went on to frame 60
    assert "task 'NeuralNetwork.classify → got_results' stopped with an error" in proc.stderr
    assert "the sketch's own mistake" in proc.stderr and "NeuralNetwork.train" not in proc.stderr
