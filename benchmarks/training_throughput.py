"""Training throughput inside a real py5 sketch, as a ratio to a plain torch loop.

Runs the color classifier (3 -> 16 sigmoid -> 9 softmax, SGD 0.25, batch 32) twice in one
process: first as a plain torch loop (the reference), then with ``py5ml.fit`` inside a py5
sketch that draws the lesson's sweeping line and a live ``LossGraph`` every frame. Prints the
figures; the last line is JSON.

    python benchmarks/training_throughput.py [--epochs 30] [--yield-every auto]

Goal on a 2-core machine: ratio_vs_raw >= 0.6 while holding 60 fps
(frame median <= 16.9 ms, p95 <= 18.5 ms).
"""

import argparse
import asyncio
import json
import sys
import time

from _bench_common import COLOR_DATA, ensure_display, frame_stats

ensure_display()

import numpy as np  # noqa: E402
import py5  # noqa: E402
import torch  # noqa: E402

import py5ml  # noqa: E402


def make_model(seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 9), torch.nn.Softmax(dim=1))
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return model


def raw_loop(xs, ys, epochs):
    """The reference: the plainest correct torch loop, same model, data and batch size."""
    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.25)
    labels = ys.argmax(dim=1)
    batches, start = 0, time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(xs))
        for i in range(0, len(xs), 32):
            idx = order[i:i + 32]
            probs = model(xs[idx])
            loss = -probs.gather(1, labels[idx].unsqueeze(1)).clamp(1e-7, 1 - 1e-7).log().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
            batches += 1
    return batches / (time.perf_counter() - start)


class TrainingSketch(py5.Sketch):
    """The color classifier's training screen: a sweeping line and a live loss graph."""

    def __init__(self, xs, ys, epochs, yield_every):
        super().__init__()
        self.xs, self.ys, self.epochs, self.yield_every = xs, ys, epochs, yield_every
        self.graph = py5ml.LossGraph(60, 60, 480, 200)
        self.intervals, self.last_draw = [], None
        self.batches, self.train_s = 0, None

    def settings(self):
        self.size(640, 360)

    def setup(self):
        self.task = py5ml.start_task(self.train())

    async def train(self):
        await py5ml.next_frame()  # start on a frame boundary, like a sketch would
        counter = py5ml.LambdaCallback(on_batch_end=self.count)
        start = time.perf_counter()
        await py5ml.fit(make_model(), self.xs, self.ys, epochs=self.epochs, batch_size=32, shuffle=True,
                        optimizer="sgd", learning_rate=0.25, callbacks=[self.graph, counter],
                        yield_every=self.yield_every)
        self.train_s = time.perf_counter() - start

    def count(self, batch, logs):
        self.batches += 1

    def draw(self):
        now = time.perf_counter()
        if self.last_draw is not None and self.task.is_running:
            self.intervals.append(now - self.last_draw)
        self.last_draw = now
        self.background(40, 90, 140)
        x = self.frame_count * 4 % self.width
        self.stroke(255)
        self.line(x, 0, x, self.height)
        self.graph.draw(self)
        if self.task.is_done:
            self.exit_sketch()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--yield-every", default="auto")
    args = parser.parse_args()
    yield_every = float(args.yield_every) if args.yield_every[0].isdigit() else args.yield_every

    data = py5ml.load_color_data(COLOR_DATA if COLOR_DATA.exists() else None)
    xs = torch.from_numpy(data.rgb / 255).float()
    ys = torch.from_numpy(data.one_hot())
    torch.set_num_threads(1)  # tiny batches: threads only add overhead, and py5 needs the other core
    raw_loop(xs, ys, 2)  # warm up torch (first-call imports and allocations)
    raw_before = raw_loop(xs, ys, 5)

    sketch = TrainingSketch(xs, ys, args.epochs, yield_every)
    sketch.run_sketch(block=True)
    if sketch.task.exception:
        sys.exit(f"training failed: {sketch.task.exception!r}")
    raw_after = raw_loop(xs, ys, 5)

    raw = (raw_before + raw_after) / 2
    in_sketch = sketch.batches / sketch.train_s
    figures = {"ratio_vs_raw": round(in_sketch / raw, 3), **frame_stats(sketch.intervals),
               "batches_per_s": round(in_sketch, 1)}
    print(f"data: {data.source}; yield_every={yield_every!r}; epochs={args.epochs}")
    print(f"plain torch loop: {raw_before:.0f} / {raw_after:.0f} batches/s (before / after the sketch)")
    print(f"inside the sketch: {in_sketch:.0f} batches/s over {sketch.train_s:.1f} s, {len(sketch.intervals)} frames")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
