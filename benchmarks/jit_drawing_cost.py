"""What the quick JIT costs once a sketch is warm: Java-heavy drawing, quick JIT vs the JVM's own.

py5ml asks the JVM for its quick JIT (C1 only, ``-XX:TieredStopAtLevel=1``) when it is imported
before py5: frames then hold while training on a busy machine (see ``training_throughput.py
--jit quick,full``). Code that runs in Java for long stretches gets slower in exchange. Each
run is a fresh process drawing for ``--frames`` frames; the second half's median per-frame
cost is kept, so both JITs are measured warm. Runs alternate between the two settings.

    python benchmarks/jit_drawing_cost.py [--runs 3] [--frames 240]

Prints, per workload, the median cost under each JIT and the ratio quick/full with its spread
(run by run); the last line is JSON.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

from _bench_common import ensure_display

WORKLOADS = ["loss graph", "500 ellipses", "blur filter", "image 640x480", "np pixels"]


def child(frames):
    """One sketch: each workload timed every frame; prints the warm medians (ms) as JSON."""
    import time

    import numpy as np

    import py5ml  # before py5: PY5ML_JIT decides the JVM's JIT
    import py5

    graph = py5ml.LossGraph(20, 30, 600, 200)
    graph.planned_batches = 20000
    for i in range(20000):
        graph.trace.add(2.0 / (1 + i / 500) + 0.05 * (i % 7) / 7)
    picture = (np.random.default_rng(0).random((480, 640, 3)) * 255).astype(np.uint8)
    times = {name: [] for name in WORKLOADS}

    def timed(name, work):
        start = time.perf_counter()
        work()
        times[name].append(time.perf_counter() - start)

    class Workloads(py5.Sketch):
        def settings(self):
            self.size(640, 480)

        def setup(self):
            self.picture = self.create_image_from_numpy(picture, "RGB")

        def ellipses(self):
            for i in range(500):
                self.ellipse((i * 37) % 640, (i * 91) % 480, 8, 8)

        def invert_green(self):
            self.load_np_pixels()
            self.np_pixels[:, :, 1] = 255 - self.np_pixels[:, :, 1]
            self.update_np_pixels()

        def draw(self):
            self.background(30)
            timed("loss graph", lambda: graph.draw(self))
            timed("500 ellipses", self.ellipses)
            timed("image 640x480", lambda: self.image(self.picture, 0, 0))
            timed("blur filter", lambda: self.apply_filter(self.BLUR, 2))
            timed("np pixels", self.invert_green)
            if self.frame_count >= frames:
                self.exit_sketch()

    Workloads().run_sketch(block=True)
    print(json.dumps({name: 1000 * statistics.median(v[len(v) // 2:]) for name, v in times.items()}))


def run(jit, frames):
    cmd = [sys.executable, __file__, "--child", "--frames", str(frames)]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, PY5ML_JIT=jit), timeout=600)
    if out.returncode != 0:
        sys.exit(f"the {jit} sketch failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    ensure_display()
    if args.child:
        return child(args.frames)
    runs = {"quick": [], "full": []}
    for _ in range(args.runs):
        for jit in runs:
            runs[jit].append(run(jit, args.frames))
    result = {"load_average": round(os.getloadavg()[0], 2), "runs": args.runs, "workloads": {}}
    for name in WORKLOADS:
        quick = [r[name] for r in runs["quick"]]
        full = [r[name] for r in runs["full"]]
        ratios = [q / f for q, f in zip(quick, full)]
        result["workloads"][name] = {"quick_ms": round(statistics.median(quick), 3), "full_ms": round(statistics.median(full), 3),
                                     "ratio": round(statistics.median(ratios), 2),
                                     "ratio_spread": [round(min(ratios), 2), round(max(ratios), 2)]}
        w = result["workloads"][name]
        print(f"{name:>14}: quick {w['quick_ms']:.2f} ms, full {w['full_ms']:.2f} ms: quick/full {w['ratio']}× "
              f"({w['ratio_spread'][0]}–{w['ratio_spread'][1]})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
