"""Soak test: train and classify continuously in a real py5 sketch, and watch the memory.

For ``--minutes`` (default 10) one sketch keeps doing everything a long-running classroom
sketch does: a ``NeuralNetwork`` on the Coding Train color data is retrained again and again
with a live ``LossGraph``, ``classify()`` runs every frame on a color that keeps changing, and
a raw torch model is trained with ``py5ml.fit`` (one batch per frame) at the same time.

Every minute it prints the process's resident memory (VmRSS) and the frame rate. The first
sample is taken after a warm-up (torch, the JVM and the first trainings allocate their pools),
so the growth measures leaks, not start-up. The last line is JSON.

    python benchmarks/soak.py [--minutes 10] [--warmup 30] [--tracemalloc] [--bare]

Goal: rss_growth_mb < 50 over 10 minutes. py5 alone grows too: with py5 0.10.12a0 and JPype
1.7.1 every frame makes a fresh Python thread state for Java's animation thread and leaves one
``_jpype._JAlloc`` class behind, even with an empty ``draw()`` (about 1.5-3 KB a frame, ~5 MB
a minute at 60 fps). py5ml's frame hook keeps one thread state for that thread
(``_py5_hooks.keep_thread_state``), which stops it in sketches that use py5ml's scheduler.
``--bare`` runs py5 alone, without py5ml, for the baseline.
"""

import argparse
import gc
import json
import math
import statistics
import time
import warnings

from _bench_common import COLOR_DATA, ensure_display

ensure_display()

import numpy as np  # noqa: E402
import py5  # noqa: E402
import torch  # noqa: E402

import py5ml  # noqa: E402


def rss_mb() -> float:
    """This process's resident memory in MB, from /proc/self/status."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


def jvm_heap_mb() -> tuple[float, float]:
    """The JVM's (used, committed) heap in MB: py5's JVM lives in this process, so it is in RSS."""
    from jpype import JClass

    runtime = JClass("java.lang.Runtime").getRuntime()
    total = runtime.totalMemory()
    return (total - runtime.freeMemory()) / 2**20, total / 2**20


def python_heap_mb():
    """Memory Python objects hold, as tracemalloc sees it (None when it is off)."""
    import tracemalloc

    return tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else None


def jpype_alloc_types() -> int:
    """How many ``_jpype._JAlloc`` classes exist. py5 0.10 / JPype 1.7.1 make one per frame and
    never free it (an empty draw() does it too): about 1.5 KB a frame that is not py5ml's."""
    gc.collect()
    with warnings.catch_warnings():  # isinstance() pokes deprecated torch aliases; not our news
        warnings.simplefilter("ignore")
        return sum(1 for o in gc.get_objects() if isinstance(o, type) and o.__name__ == "_JAlloc")


def raw_model():
    return torch.nn.Sequential(torch.nn.Linear(3, 32), torch.nn.ReLU(), torch.nn.Linear(32, 9), torch.nn.Softmax(dim=1))


class Soak(py5.Sketch):
    """Retrains, classifies and fits forever; samples RSS and frame rate once a minute."""

    def __init__(self, data, args):
        super().__init__()
        self.data, self.args = data, args
        self.graph = py5ml.LossGraph(330, 40, 280, 140, title="loss")
        self.nn = None
        self.trainings = self.raw_fits = self.classified = 0
        self.samples = []  # (minute, rss_mb, fps) once a minute
        self.frames_per_second = []  # frames drawn in each whole second after the warm-up
        self.rss_start = None
        self.snapshot = None
        self.is_ending = False

    def settings(self):
        self.size(640, 360)

    def setup(self):
        self.text_font(self.create_font("DejaVu Sans", 14))
        self.started = time.perf_counter()
        self.second, self.second_frames = 0, 0
        self.raw_task = None
        if self.args.bare:
            return
        self.nn = py5ml.NeuralNetwork(inputs=["r", "g", "b"], outputs=list(py5ml.COLOR_LABELS), seed=1)
        for rgb, label in zip(self.data.rgb, self.data.labels):
            self.nn.add_data(rgb, label)
        self.nn.normalize_data(0, 255)
        self.retrain()
        self.raw_task = py5ml.start_task(self.fit_raw_forever(), name="raw fit")

    def retrain(self):
        self.trainings += 1
        self.nn.train(epochs=self.args.epochs, batch_size=32, callbacks=[self.graph])

    async def fit_raw_forever(self):
        xs = torch.from_numpy(self.data.rgb / 255).float()
        ys = torch.from_numpy(self.data.one_hot())
        while True:
            model = raw_model()  # a fresh model and optimizer each time: the churn a leak would show in
            await py5ml.fit(model, xs, ys, epochs=1, batch_size=64, optimizer="adam", learning_rate=0.01,
                            validation_split=0.1, yield_every="batch")
            self.raw_fits += 1

    def draw(self):
        t = time.perf_counter() - self.started
        if self.args.bare:  # py5 alone: the baseline py5ml's figures compare with
            self.background(40)
            self.measure(t)
            return
        if self.nn.is_trained:  # the previous training ended: start the next one
            self.retrain()
        r, g, b = (127 + 127 * math.sin(t * k) for k in (0.7, 1.1, 1.7))
        best = self.nn.classify([r, g, b])[0]
        self.classified += 1
        self.background(r, g, b)
        self.graph.draw(self)
        self.fill(0, 0, 0, 160)
        self.no_stroke()
        self.rect(20, 220, 300, 110, 8)
        self.fill(255)
        self.text_size(28)
        self.text(best["label"], 34, 260)
        self.text_size(13)
        self.text(f"trainings {self.trainings}  raw fits {self.raw_fits}  t {t:.0f}s", 34, 300)
        self.check_errors()
        self.measure(t)

    def check_errors(self):
        for task in (self.nn.task_handle if self.nn else None, self.raw_task):
            if task is not None and task.exception is not None:
                print(f"soak: a task failed: {task.exception!r}", flush=True)
                self.exit_sketch()

    def measure(self, t):
        warmup, minutes = self.args.warmup, self.args.minutes
        if t < warmup:
            return
        if self.rss_start is None:
            self.alloc_types_start, self.frames_start = jpype_alloc_types(), self.frame_count
            self.rss_start, self.measure_start = rss_mb(), t
            print(f"warm-up done after {warmup:.0f} s: rss {self.rss_start:.1f} MB", flush=True)
            if self.args.tracemalloc:
                import tracemalloc

                tracemalloc.start(8)
                self.snapshot = tracemalloc.take_snapshot()
        second = int(t - self.measure_start)
        if second != self.second:
            self.frames_per_second.append(self.second_frames)
            self.second, self.second_frames = second, 0
        self.second_frames += 1
        if second >= 60 * (len(self.samples) + 1) and second < minutes * 60:
            self.sample(len(self.samples) + 1)
        if t - self.measure_start >= minutes * 60 and not self.is_ending:
            self.is_ending = True
            self.sample(round((t - self.measure_start) / 60, 2))
            self.frames = self.frame_count - self.frames_start
            self.alloc_types_added = jpype_alloc_types() - self.alloc_types_start
            self.exit_sketch()

    def sample(self, minute):
        fps = statistics.median(self.frames_per_second[-60:] or [0])
        rss = rss_mb()
        self.samples.append((minute, rss, fps))
        jvm_used, jvm_committed = jvm_heap_mb()
        py_heap = python_heap_mb()
        traced = "" if py_heap is None else f"  python heap {py_heap:.1f} MB"
        print(f"minute {minute:>5}: rss {rss:7.1f} MB ({rss - self.rss_start:+.1f})  fps {fps:.0f}  "
              f"trainings {self.trainings}  raw fits {self.raw_fits}  classified {self.classified}  "
              f"jvm heap {jvm_used:.0f}/{jvm_committed:.0f} MB{traced}", flush=True)


def print_top_growth(before):
    import tracemalloc

    after = tracemalloc.take_snapshot()
    print("tracemalloc: biggest growth since the warm-up")
    for stat in after.compare_to(before, "traceback")[:10]:
        print(f"  {stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks")
        for line in stat.traceback.format()[-6:]:
            print(f"    {line}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=30, help="seconds before the first RSS sample")
    parser.add_argument("--epochs", type=int, default=3, help="epochs per NeuralNetwork training")
    parser.add_argument("--bare", action="store_true", help="py5 alone, no py5ml: the baseline")
    parser.add_argument("--tracemalloc", action="store_true", help="print where Python memory grew")
    args = parser.parse_args()

    data = py5ml.load_color_data(COLOR_DATA if COLOR_DATA.exists() else None)
    torch.set_num_threads(1)  # tiny batches: threads only add overhead
    print(f"soak: {args.minutes:g} min on {data.source}", flush=True)
    sketch = Soak(data, args)
    sketch.run_sketch(block=True)

    if not sketch.is_ending:
        raise SystemExit("soak: the sketch ended before its time was up (see the errors above)")
    rss_end = rss_mb()
    if sketch.snapshot is not None:
        print_top_growth(sketch.snapshot)
    fps_median = float(np.median(sketch.frames_per_second)) if sketch.frames_per_second else 0.0
    print(f"end: rss {rss_end:.1f} MB, {sketch.trainings} trainings, {sketch.raw_fits} raw fits, "
          f"{sketch.classified} classifications")
    print(json.dumps({
        "minutes": sketch.samples[-1][0],
        "rss_start_mb": round(sketch.rss_start, 1),
        "rss_end_mb": round(rss_end, 1),
        "rss_growth_mb": round(rss_end - sketch.rss_start, 1),
        "fps_median": round(fps_median, 1),
        "frames": sketch.frames,
        "rss_growth_kb_per_frame": round((rss_end - sketch.rss_start) * 1024 / max(sketch.frames, 1), 3),
        "jpype_alloc_types_added": sketch.alloc_types_added,
        "rss_samples_mb": [round(rss, 1) for _, rss, _ in sketch.samples],
        "trainings": sketch.trainings,
        "raw_fits": sketch.raw_fits,
    }))


if __name__ == "__main__":
    main()
