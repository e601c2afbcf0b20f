"""Time to first frame and to first prediction, against a bare py5 sketch in the same run.

Each sketch starts as a fresh process (``--runs`` times, interleaved), through
``_startup_probe.py``, which notes when the first frame was drawn and when the sketch could
first predict:

- ``bare``: a py5 sketch drawing a line: what any py5 sketch costs (JVM, window).
- ``color``: ``sketches/color_classifier/`` (window first, torch on a thread); ready when the
  network exists and names the slider color.
- ``happy_sad``: ``sketches/happy_sad/ --source synthetic``; ready when the backbone has loaded.

    python benchmarks/startup.py [--runs 3]

Goal: first frame ≤ 3 s for the color and happy/sad sketches. The last line printed is JSON.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from _bench_common import COLOR_DATA, ROOT, ensure_display

HERE = ROOT / "benchmarks"
SKETCHES = {
    "bare": (HERE / "_bare_sketch.py", "True", []),
    "color": (ROOT / "sketches" / "color_classifier" / "color_classifier.py",
              "nn is not None and nn.model is not None", ["--epochs", "1"]),
    "happy_sad": (ROOT / "sketches" / "happy_sad" / "happy_sad.py",
                  "extractor is not None and extractor.is_ready", ["--source", "synthetic"]),
}


def launch(name):
    """Seconds from starting the process to its first frame and to ready."""
    path, ready, flags = SKETCHES[name]
    if name == "color" and COLOR_DATA.exists():
        flags = [*flags, "--data", str(COLOR_DATA)]
    cmd = [sys.executable, str(HERE / "_startup_probe.py"), str(path), "--ready", ready, *flags]
    with tempfile.TemporaryDirectory() as tmp:  # the sketches may write models; keep them out of the repo
        start = time.time()
        out = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, PYTHONUNBUFFERED="1"))
    marks = {line.split()[1]: float(line.split()[2]) for line in out.stdout.splitlines() if line.startswith("probe ")}
    if "first_frame" not in marks:
        sys.exit(f"{name} drew no frame:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return {"first_frame": marks["first_frame"] - start, "ready": marks.get("ready", float("nan")) - start}


def summary(values):
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sketches", default="bare,color,happy_sad")
    args = parser.parse_args()
    ensure_display()
    names = args.sketches.split(",")
    load = os.getloadavg()[0]
    times = {name: [] for name in names}
    for _ in range(args.runs):  # interleaved, so a change in the machine's load hits every sketch alike
        for name in names:
            times[name].append(launch(name))
    bare = statistics.median(t["first_frame"] for t in times.get("bare", [{"first_frame": float("nan")}]))
    result = {"load_average_at_start": round(load, 2), "runs": args.runs}
    for name in names:
        first = [t["first_frame"] for t in times[name]]
        ready = [t["ready"] for t in times[name]]
        result[name] = {"first_frame_s": summary(first), "ready_s": summary(ready),
                        "first_frame_vs_bare": round(statistics.median(first) / bare, 2)}
        print(f"{name:>9}: first frame {summary(first)['median']:.2f} s "
              f"({summary(first)['min']:.2f}–{summary(first)['max']:.2f}), "
              f"{result[name]['first_frame_vs_bare']}× bare py5; ready {summary(ready)['median']:.2f} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
