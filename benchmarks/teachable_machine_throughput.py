"""Can a Teachable Machine model classify continuously while the sketch keeps its frame rate?

A real py5 sketch (run it under Xvfb on a server) draws the synthetic scene at 640×480 every frame,
as sketches/teachable_machine does, while a Teachable Machine image model classifies it in the
lesson's loop: ``classify(got_result)`` → ``got_result`` → ``classify`` ... Measured in one run:

1. frames with nothing classifying (the reference), median and p95;
2. the classify loop for ``--seconds``: results per second, frame median and p95 meanwhile;
3. the model alone on its worker thread, back to back (no sketch, no frames): results per second.

The ratios compare 2 with 1 and 3, so the figures mean the same on a busy machine.

    python benchmarks/teachable_machine_throughput.py                          # a shared TM export
    python benchmarks/teachable_machine_throughput.py --model my_model/model.json

Goal: ≥ 30 results/s while frames hold p95 ≤ 18.5 ms. The last line printed is JSON.
"""

import argparse
import json
import time

from _bench_common import ROOT, draw_scene, ensure_display, frame_stats

ensure_display()  # py5 needs a display: re-run under xvfb-run when there is none

import numpy as np  # noqa: E402

import py5ml  # noqa: E402  (before py5, as in the sketches: the JVM gets the quick JIT)
import py5  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--model", default=str(ROOT.parent / "shared" / "data" / "teachable_machine" / "bricks_phone"))
parser.add_argument("--seconds", type=float, default=10.0, help="how long the classify loop runs")
parser.add_argument("--threads", default="auto", help="torch threads for the model ('auto': cores - 1)")
args = parser.parse_args()

video = None
classifier = None
phase = "loading"  # loading -> reference -> loop -> done
frames = {"reference": [], "loop": []}
last_draw = None
results_count = 0
report = {}


def setup():
    global video, classifier
    py5.size(640, 560)
    video = py5ml.Capture("synthetic", width=640, height=480)
    threads = args.threads if args.threads == "auto" else int(args.threads)
    classifier = py5ml.image_classifier(args.model, video, device="cpu", threads=threads)
    py5ml.start_task(run())


async def run():
    global phase
    await classifier.ready_async()
    await classifier.classify_async()  # the first call pays one-off costs
    phase = "reference"
    await seconds(3.0)
    phase, start = "loop", time.perf_counter()
    classifier.classify(got_result)
    await seconds(args.seconds)
    phase = "done"
    report["results_per_s"] = results_count / (time.perf_counter() - start)
    report["model_alone_results_per_s"] = await model_alone(40)
    finish()


async def seconds(duration):
    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        await py5ml.next_frame()


async def model_alone(count):
    """Back-to-back classifications on the worker, nothing else asked of it."""
    picture = video.read()
    start = time.perf_counter()
    for _ in range(count):
        await classifier.classify_async(picture)
    return count / (time.perf_counter() - start)


def got_result(results):
    global results_count
    if phase == "loop":
        results_count += 1
        classifier.classify(got_result)


def finish():
    reference, loop = frame_stats(frames["reference"]), frame_stats(frames["loop"])
    report.update(model=args.model, labels=classifier.labels, torch_threads_setting=args.threads,
                  reference_frame_median_ms=reference["frame_median_ms"], reference_frame_p95_ms=reference["frame_p95_ms"],
                  loop_frame_median_ms=loop["frame_median_ms"], loop_frame_p95_ms=loop["frame_p95_ms"])
    report["p95_ratio_vs_reference"] = loop["frame_p95_ms"] / reference["frame_p95_ms"]
    report["results_ratio_vs_model_alone"] = report["results_per_s"] / report["model_alone_results_per_s"]
    print(f"model {args.model} ({len(classifier.labels)} labels)")
    print(f"classify loop: {report['results_per_s']:.1f} results/s "
          f"({report['results_ratio_vs_model_alone']:.2f} of the model alone, {report['model_alone_results_per_s']:.1f}/s)")
    print(f"frames: median {loop['frame_median_ms']:.2f} ms, p95 {loop['frame_p95_ms']:.2f} ms while classifying; "
          f"p95 {reference['frame_p95_ms']:.2f} ms without (ratio {report['p95_ratio_vs_reference']:.2f})")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in report.items()}, ensure_ascii=False))
    video.close()
    py5.exit_sketch()


def draw():
    global last_draw
    now = time.perf_counter()
    if phase in frames and last_draw is not None:
        frames[phase].append(now - last_draw)
    last_draw = now
    draw_scene(video, f"results: {results_count}")


py5.run_sketch()
