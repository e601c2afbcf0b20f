"""Training throughput inside a real py5 sketch, as a ratio to plain loops run in fresh processes.

The color classifier (3 → 16 sigmoid → 9 softmax, SGD 0.25, batch 32) trains with ``py5ml.fit``
inside a py5 sketch that draws the lesson's sweeping line and a live ``LossGraph`` every frame.
The references are run ``--refs`` times before and ``--refs`` times after the sketch, each in a
fresh process (``_reference_loop.py``): the plain torch loop, and the same loop on py5ml's numpy
step. Their median is the reference; the spread is printed. Each condition runs in turn: "quiet"
(no neighbour of ours; the load average is printed, since other work may be running) and "busy",
with a neighbour process burning one core (started here). The frame-time histogram is written
as a PNG beside the JSON file; the last line printed is the JSON.

    python benchmarks/training_throughput.py [--epochs 150] [--refs 3] [--conditions quiet,busy] [--jit quick,full]

``--jit`` picks the JVM's JIT for the sketch (see ``py5ml/clock/_jvm_options.py``): ``quick``
(C1 only, py5ml's default when it is imported before py5) or ``full`` (the JVM's default, C1 then C2).

Goals on the 2-core machine: in-sketch ≥ 0.6× the torch loop quiet, ≥ 0.4× with the neighbour,
frame median ≤ 16.9 ms and p95 ≤ 18.5 ms in both.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench_common import COLOR_DATA, ROOT, ensure_display, frame_stats

HERE = Path(__file__).resolve().parent


def check_data(allow_fallback):
    """The color data set, or a loud refusal: the XKCD fallback's figures are not comparable."""
    if COLOR_DATA.exists():
        return str(COLOR_DATA)
    banner = (f"\n{'!' * 78}\n  {COLOR_DATA} is missing: the figures would come from the XKCD fallback\n"
              f"  (~900 colors), which are NOT comparable with the Coding Train data (5,643).\n{'!' * 78}\n")
    if not allow_fallback:
        sys.exit(banner + "Refusing. Pass --allow-fallback to measure on the XKCD colors anyway.")
    print(banner, file=sys.stderr)
    return None


def reference(data, epochs):
    cmd = [sys.executable, str(HERE / "_reference_loop.py"), "--epochs", str(epochs)]
    out = subprocess.run(cmd + (["--data", data] if data else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sketch_run(data, epochs, yield_every, jit):
    """The sketch, in a fresh process (this file with ``--child``); returns its figures."""
    cmd = [sys.executable, __file__, "--child", "--epochs", str(epochs), "--yield-every", str(yield_every)]
    out = subprocess.run(cmd + (["--data", data] if data else []), capture_output=True, text=True,
                         env=dict(os.environ, PY5ML_JIT=jit))
    if out.returncode != 0:
        sys.exit(f"the sketch failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def spread(values):
    return {"median": round(statistics.median(values), 1), "min": round(min(values), 1), "max": round(max(values), 1)}


def measure(condition, jit, args, data):
    """References before and after, the sketch between, with or without a busy neighbour."""
    neighbour = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if condition == "busy" else None
    load_before = os.getloadavg()[0]
    try:
        time.sleep(0.5 if neighbour else 0)
        before = [reference(data, args.ref_epochs) for _ in range(args.refs)]
        sketch = sketch_run(data, args.epochs, args.yield_every, jit)
        after = [reference(data, args.ref_epochs) for _ in range(args.refs)]
    finally:
        if neighbour:
            neighbour.kill()
            neighbour.wait()
    torch_refs = [r["torch_loop"] for r in before + after]
    dense_refs = [r["dense_step_loop"] for r in before + after]
    rate, torch_ref = sketch["batches_per_s"], statistics.median(torch_refs)
    return {
        "condition": condition, "jit": jit, "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "ratio_vs_raw": round(rate / torch_ref, 3),
        "ratio_spread": [round(rate / max(torch_refs), 3), round(rate / min(torch_refs), 3)],
        "ratio_vs_dense_loop": round(rate / statistics.median(dense_refs), 3),
        "batches_per_s": rate, "frame_median_ms": sketch["frame_median_ms"], "frame_p95_ms": sketch["frame_p95_ms"],
        "frames": len(sketch["intervals_ms"]),
        "torch_loop_before": spread([r["torch_loop"] for r in before]),
        "torch_loop_after": spread([r["torch_loop"] for r in after]),
        "dense_step_loop": spread(dense_refs),
        "step_speedup_per_batch": spread([r["step_speedup"] for r in before + after]),
        "intervals_ms": sketch["intervals_ms"],
    }


def histogram(results, path):
    """One panel per run (condition × JIT), on one time axis, with the goals marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(results), 1, figsize=(8, 1.9 * len(results) + 0.8), sharex=True, squeeze=False)
    bins = [10 + 0.5 * i for i in range(61)]  # 10-40 ms
    for ax, r in zip(axes[:, 0], results):
        clipped = [min(max(ms, bins[0]), bins[-1]) for ms in r["intervals_ms"]]
        late = sum(ms > 18.5 for ms in r["intervals_ms"]) / max(len(r["intervals_ms"]), 1)
        ax.hist(clipped, bins=bins, color="tab:red" if r["frame_p95_ms"] > 18.5 else "tab:green")
        ax.axvline(16.9, color="black", linestyle="--", linewidth=1)
        ax.axvline(18.5, color="black", linestyle=":", linewidth=1)
        ax.set_yscale("log")
        ax.set_ylabel("frames")
        ax.set_title(f"{r['condition']}, {r['jit']} JIT (load avg {r['load_average'][0]}): median {r['frame_median_ms']} ms, "
                     f"p95 {r['frame_p95_ms']} ms, {late:.0%} over 18.5 ms, {r['frames']} frames", fontsize=9, loc="left")
    axes[-1, 0].set_xlabel("frame interval while training, ms (the ends collect everything beyond)\n"
                           "dashed: median goal 16.9 ms; dotted: p95 goal 18.5 ms")
    fig.suptitle("py5ml.fit inside a sketch: frame times")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=150)
    parser.add_argument("--yield-every", default="auto")
    parser.add_argument("--refs", type=int, default=3, help="reference runs before and after the sketch")
    parser.add_argument("--ref-epochs", type=int, default=5)
    parser.add_argument("--conditions", default="quiet,busy")
    parser.add_argument("--jit", default="quick", help='the JVM\'s JIT for the sketch: "quick", "full" or "quick,full" (PY5ML_JIT)')
    parser.add_argument("--allow-fallback", action="store_true", help="measure on the XKCD colors if colorData.json is missing")
    parser.add_argument("--out", default=str(ROOT / "out" / "training_throughput.json"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    ensure_display()  # one display for every child process
    data = check_data(args.allow_fallback)
    results = [measure(c, jit, args, data) for c in args.conditions.split(",") for jit in args.jit.split(",")]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    histogram(results, out.with_suffix(".png"))
    print(f"data: {data or 'XKCD FALLBACK (not comparable)'}; yield_every={args.yield_every!r}; epochs={args.epochs}")
    for r in results:
        print(f"{r['condition']:>5}, {r['jit']} JIT (load average {r['load_average'][0]} → {r['load_average'][1]}): "
              f"numpy step {r['step_speedup_per_batch']['median']}× faster per batch than torch "
              f"({r['step_speedup_per_batch']['min']}–{r['step_speedup_per_batch']['max']}); {r['batches_per_s']:.0f} batches/s in the sketch = {r['ratio_vs_raw']}× the torch "
              f"loop (spread {r['ratio_spread'][0]}–{r['ratio_spread'][1]}), {r['ratio_vs_dense_loop']}× the bare numpy-step loop; "
              f"torch loop before {r['torch_loop_before']['median']} / after {r['torch_loop_after']['median']}; "
              f"frames median {r['frame_median_ms']} ms, p95 {r['frame_p95_ms']} ms")
    summary = {"data": "colorData.json" if data else "XKCD fallback", "histogram": str(out.with_suffix(".png")),
               "results": [{k: v for k, v in r.items() if k != "intervals_ms"} for r in results]}
    out.write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary))


def child(args):
    """The sketch itself (run in a fresh process by ``sketch_run``)."""
    ensure_display()
    import torch

    import py5ml  # before py5 (imported by _training_sketch): the JVM gets PY5ML_JIT's setting
    from _reference_loop import make_model
    from _training_sketch import TrainingSketch

    data = py5ml.load_color_data(args.data)
    xs = torch.from_numpy(data.rgb / 255).float()
    ys = torch.from_numpy(data.one_hot())
    torch.set_num_threads(1)  # tiny batches: threads only add overhead, and py5 needs the other core
    yield_every = float(args.yield_every) if args.yield_every[0].isdigit() else args.yield_every
    sketch = TrainingSketch(xs, ys, args.epochs, yield_every, make_model)
    sketch.run_sketch(block=True)
    if sketch.task.exception:
        sys.exit(f"training failed: {sketch.task.exception!r}")
    figures = frame_stats(sketch.intervals)
    print(json.dumps({"batches_per_s": round(sketch.batches / sketch.train_s, 1), **figures,
                      "intervals_ms": [round(s * 1000, 3) for s in sketch.intervals]}))


if __name__ == "__main__":
    main()
