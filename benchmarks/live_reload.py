"""The longest frame gap while py5's live coding reloads a sketch, py5ml's vs a bare one's.

Runs the real ``py5-live-coding`` twice, on the same display, in one run of this script:

1. a bare py5 sketch (the same size and font, a moving circle, no py5ml): the reference, py5's
   own reload cost;
2. ``sketches/live_visuals/color_palette.py`` mid-training (the color classifier on the Coding
   Train's 5,643 colors, with its loss graph and nine-confidence palette).

Each is saved ``--saves`` times, ``--gap`` seconds apart, ``--warmup`` seconds after its 60th frame.
A small module (imported once, so it survives the reloads) stamps every frame after ``draw()``.
For each save, the longest gap between two frames in the second after it is what a person sees
as a hitch. The last line is JSON. Goal: py5ml's longest gap ≤ the bare one's + 100 ms.

    python benchmarks/live_reload.py [--saves 5] [--gap 2] [--warmup 3]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _bench_common import COLOR_DATA, ROOT, ensure_display

ensure_display()

FRAME_LOG = '''
import json, os, time
from pathlib import Path
import py5

stamps = []


def install():
    """Stamp every frame after draw(); when the file `stop` appears, write them and exit."""
    py5.get_current_sketch()._add_post_hook("draw", "bench_frame_log", _stamp)


def _stamp(sketch):
    stamps.append(time.time())
    if len(stamps) == 60:
        Path("started").write_text("")
    if len(stamps) % 30 == 0 and Path("stop").exists():
        Path("frames.json").write_text(json.dumps(stamps))
        sketch.real_exit_sketch()
'''

BARE = '''
import py5


def setup():
    py5.size(640, 480)
    py5.text_font(py5.create_font("DejaVu Sans", 14))  # as the color sketch does


def draw():
    py5.background(18)  # save 0
    py5.circle(py5.frame_count % 640, 240, 60)
    py5.text(f"frame {py5.frame_count}", 16, 34)


py5.run_sketch()
'''


def run_live(sketch_text, workdir, args, extra_env=None):
    """Run one sketch under py5-live-coding, save it args.saves times; returns (frame stamps, save times)."""
    workdir.mkdir()
    (workdir / "_frame_log.py").write_text(FRAME_LOG)
    sketch = workdir / "sketch.py"
    hooked = sketch_text.replace("py5.run_sketch()", "import _frame_log; _frame_log.install()\npy5.run_sketch()")
    sketch.write_text(hooked)
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(extra_env or {}))
    live = Path(sys.executable).parent / "py5-live-coding"
    proc = subprocess.Popen([str(live), str(sketch)], cwd=workdir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    saves = []
    try:
        deadline = time.monotonic() + 180
        while not (workdir / "started").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(args.warmup)
        for i in range(1, args.saves + 1):
            tmp = workdir / ".saving.tmp"
            tmp.write_text(hooked.replace("py5.background(18)", f"py5.background({18 + 8 * i})"))
            saves.append(time.time())
            os.replace(tmp, sketch)
            time.sleep(args.gap)
        (workdir / "stop").write_text("")
        proc.wait(timeout=120)
    finally:
        proc.kill()
    return json.loads((workdir / "frames.json").read_text()), saves


def longest_gaps(stamps, saves, window=1.0):
    stamps = np.asarray(stamps)
    gaps = []
    for t in saves:
        inside = stamps[(stamps >= t) & (stamps <= t + window)]
        before = stamps[stamps < t]
        points = np.concatenate([before[-1:], inside, stamps[stamps > t + window][:1]])
        gaps.append(float(np.diff(points).max() * 1000) if len(points) > 1 else float("nan"))
    return gaps


def steady_ms(stamps, saves):
    stamps = np.asarray(stamps)
    calm = stamps[stamps < saves[0]]
    return float(np.median(np.diff(calm[len(calm) // 2:])) * 1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between saves")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of running (after 60 frames) before the first save")
    args = parser.parse_args()
    color_text = (ROOT / "sketches" / "live_visuals" / "color_palette.py").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, text, env in (("bare_py5", BARE, None),
                                ("py5ml_color", color_text, {"PY5ML_ARGS": f"--data {COLOR_DATA}"})):
            stamps, saves = run_live(text, Path(tmp) / name, args, env)
            gaps = longest_gaps(stamps, saves)
            results[name] = {"steady_frame_ms": round(steady_ms(stamps, saves), 1),
                             "longest_gap_ms_per_save": [round(g, 1) for g in gaps],
                             "longest_gap_ms": round(max(gaps), 1), "median_longest_gap_ms": round(float(np.median(gaps)), 1)}
            print(f"{name}: {results[name]}", flush=True)
    bare, color = results["bare_py5"], results["py5ml_color"]
    results["extra_ms_worst"] = round(color["longest_gap_ms"] - bare["longest_gap_ms"], 1)
    results["extra_ms_median"] = round(color["median_longest_gap_ms"] - bare["median_longest_gap_ms"], 1)
    results["goal_extra_ms"] = 100
    print(f"py5ml's reload costs {results['extra_ms_median']} ms more than bare py5's (median of saves; "
          f"worst {results['extra_ms_worst']} ms); goal <= 100 ms")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
