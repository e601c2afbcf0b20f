"""Shared bits for benchmarks: a virtual display, the color data, and frame statistics."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
COLOR_DATA = ROOT.parent / "shared" / "data" / "colorData.json"


def ensure_display():
    """Re-run this script under xvfb-run when there is no display (py5 needs one)."""
    if os.environ.get("DISPLAY") or os.environ.get("PY5ML_BENCH_CHILD"):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("No display and no xvfb-run: run `bash scripts/setup.sh` first (it installs xvfb).")
    env = dict(os.environ, PY5ML_BENCH_CHILD="1")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable, *sys.argv]
    sys.exit(subprocess.call(cmd, env=env))


def frame_stats(intervals_s):
    ms = np.asarray(intervals_s) * 1000
    return {"frame_median_ms": round(float(np.median(ms)), 2), "frame_p95_ms": round(float(np.percentile(ms, 95)), 2)}


def draw_scene(video, text):
    """The frame the vision benchmarks draw: the 640×480 picture and one line of text under it."""
    import py5

    py5.background(30)
    video.draw(0, 0, 640, 480)
    py5.fill(255)
    py5.text_size(24)
    py5.text(text, 10, 530)
