"""Live coding: the real ``py5-live-coding`` runs a training sketch while the test edits it.

The sketch (tests/sketch_scripts/live_training.py) keeps its network with ``py5ml.keep`` and
calls ``nn.train(...)`` in ``setup()``, which py5 runs again after every save. The test saves the
file five times mid-training: new colors, a new shape, a syntax error, the fix. Everything is
checked from what the sketch prints and from the screenshots it saves.
"""

import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

TEMPLATE = Path(__file__).parent / "sketch_scripts" / "live_training.py"
LIVE_CODING = Path(sys.executable).parent / "py5-live-coding"
REPORT = re.compile(r"report version=(\d+) batches=(\d+) model=(\d+) weights=([\d.]+) initial=([\d.]+) "
                    r"callback_version=(\S+) py5ml=(\d+)")
RED, BLUE, GREEN, YELLOW = (200, 30, 30), (30, 60, 200), (40, 220, 60), (250, 230, 40)
SQUARE = "py5.fill(*GREEN_FILL); py5.rect(120, 120, 60, 60)"
CIRCLE = "py5.fill(*YELLOW_FILL); py5.circle(50, 150, 50)"


def sketch_text(version, background, extra="", broken=False):
    text = TEMPLATE.read_text()
    text = text.replace("VERSION = 0  # @VERSION@", f"VERSION = {version}\nGREEN_FILL = {GREEN}\nYELLOW_FILL = {YELLOW}")
    text = text.replace("py5.background(0)  # @BACKGROUND@", f"py5.background(*{background})")
    text = text.replace("# @EXTRA@", extra + ("\n    py5.fill(255, 0, 0" if broken else ""))
    return text


def save(path, text):
    """Write the way an editor saves: the new file appears whole, never half-written."""
    tmp = path.with_name(".saving.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class LiveSketch:
    """``py5-live-coding sketch.py`` in the background; its output is read line by line."""

    def __init__(self, sketch, out_dir, display):
        env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1", LIVE_OUT=str(out_dir))
        self.proc = subprocess.Popen([str(LIVE_CODING), str(sketch)], cwd=sketch.parent, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines, self._queue = [], queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, predicate, what, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.lines.append(self._queue.get(timeout=0.5))
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
            if predicate(self.lines):
                return
        output = "\n".join(self.lines[-40:])
        pytest.fail(f"waited for {what}; the sketch printed (last lines):\n{output}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def reports(lines, version=None):
    found = [m.groups() for m in map(REPORT.match, lines) if m]
    rows = [dict(version=int(v), batches=int(b), model=m, weights=float(w), initial=float(i), callback=c, py5ml=p)
            for v, b, m, w, i, c, p in found]
    return [r for r in rows if version is None or r["version"] == version]


def shown_and_trained(version, more_than):
    def check(lines):
        rows = reports(lines, version)
        return (f"shot version={version}" in lines and rows
                and rows[-1]["batches"] > more_than and rows[-1]["callback"] == str(version))
    return check


def pixel(path, x, y):
    return np.asarray(Image.open(path).convert("RGB"))[y, x].astype(int)


def near(actual, expected, tolerance=12):
    return bool(np.all(np.abs(actual - np.array(expected)) <= tolerance))


@pytest.fixture
def live(display, tmp_path):
    sketch = tmp_path / "sketch.py"
    save(sketch, sketch_text(1, RED))
    running = LiveSketch(sketch, tmp_path, display)
    yield sketch, running
    running.stop()


def test_training_survives_five_saves_mid_training(live, tmp_path):
    sketch, run = live
    run.wait_for(shown_and_trained(1, 100), "version 1 to train past 100 batches")
    last = reports(run.lines)[-1]["batches"]

    save(sketch, sketch_text(2, BLUE))  # 1: new draw() colors
    run.wait_for(shown_and_trained(2, last), "version 2 to show and keep training")
    save(sketch, sketch_text(3, BLUE, SQUARE))  # 2: a new shape
    run.wait_for(shown_and_trained(3, reports(run.lines)[-1]["batches"]), "version 3")
    save(sketch, sketch_text(4, BLUE, SQUARE, broken=True))  # 3: a syntax error
    run.wait_for(lambda lines: any("SyntaxError" in line for line in lines), "the syntax error report")
    time.sleep(3)  # the broken version sits there for a while: nothing else may be printed
    save(sketch, sketch_text(5, BLUE, SQUARE + "; " + CIRCLE))  # 4: the fix, with one more shape
    run.wait_for(shown_and_trained(5, reports(run.lines)[-1]["batches"] + 50), "version 5 after the fix")
    save(sketch, sketch_text(6, RED, CIRCLE))  # 5: back to red, the square gone
    run.wait_for(shown_and_trained(6, reports(run.lines)[-1]["batches"] + 50), "version 6")

    rows = reports(run.lines)
    # One training all along: batch numbers only grow, across every save.
    batches = [r["batches"] for r in rows]
    assert batches == sorted(batches) and batches[-1] > batches[0]
    assert [r["version"] for r in rows] == sorted(r["version"] for r in rows)
    # The same network, never initialised again (a new one would have the seeded start weights).
    assert len({r["model"] for r in rows}) == 1 and len({r["py5ml"] for r in rows}) == 1
    later = [r for r in rows if r["version"] > 1]
    assert all(abs(r["weights"] - r["initial"]) > 1.0 for r in later)
    # setup() ran once for each good version; the broken one never ran.
    # (found anywhere in a line: stdout and stderr share one pipe, so another write can precede it)
    setups = re.findall(r"setup version=(\d+)", "\n".join(run.lines))
    assert setups == [str(v) for v in (1, 2, 3, 5, 6)], "\n".join(run.lines[-60:])
    assert not (tmp_path / "version4.png").exists()
    # The new draw() code is what the screenshots show.
    shot = lambda v: tmp_path / f"version{v}.png"  # noqa: E731
    assert near(pixel(shot(1), 10, 10), RED) and near(pixel(shot(1), 150, 150), RED)
    assert near(pixel(shot(2), 10, 10), BLUE) and near(pixel(shot(2), 150, 150), BLUE)
    assert near(pixel(shot(3), 10, 10), BLUE) and near(pixel(shot(3), 150, 150), GREEN)
    assert near(pixel(shot(5), 150, 150), GREEN) and near(pixel(shot(5), 50, 150), YELLOW)
    assert near(pixel(shot(6), 150, 150), RED) and near(pixel(shot(6), 50, 150), YELLOW)
    # The syntax error is reported once, and nothing else reads like an error.
    text = "\n".join(run.lines)
    assert text.count("SyntaxError") == 1
    stars = [i for i, line in enumerate(run.lines) if line.startswith("*" * 40)]
    assert len(stars) == 2, text
    outside = run.lines[:stars[0]] + run.lines[stars[1] + 1:]
    noisy = [line for line in outside if re.search(r"error|exception|traceback|warning", line, re.I)]
    assert noisy == [], noisy


def test_a_changed_model_or_settings_restarts_training_with_one_line(live, tmp_path):
    sketch, run = live
    run.wait_for(shown_and_trained(1, 50), "version 1 to train")
    first_model = reports(run.lines)[-1]["model"]

    bigger = sketch_text(2, RED).replace("hidden_units=8", "hidden_units=12")  # the network's shape
    save(sketch, bigger)
    run.wait_for(shown_and_trained(2, 0), "version 2 with a bigger network")
    second_model = reports(run.lines)[-1]["model"]
    save(sketch, sketch_text(3, RED).replace("hidden_units=8", "hidden_units=12").replace("batch_size=16", "batch_size=32"))
    run.wait_for(shown_and_trained(3, 0), "version 3 with a bigger batch")
    run.wait_for(lambda lines: reports(lines, 3)[-1]["model"] != second_model, "version 3's new model")

    notes = [line for line in run.lines if line.startswith("py5ml:")]
    assert notes == [
        "py5ml: 'nn' is made differently now, so it starts again (training restarts).",
        "py5ml: the training settings changed (batch_size 16 -> 32), so training starts again.",
    ]
    assert len({first_model, second_model, reports(run.lines)[-1]["model"]}) == 3
    noisy = [line for line in run.lines if re.search(r"error|exception|traceback|warning", line, re.I)]
    assert noisy == [], noisy
