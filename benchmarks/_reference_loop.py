"""The references for ``training_throughput.py``, run in a fresh process each time.

Prints one JSON line: the batches per second of the plainest correct torch loop (the color
classifier's network, SGD 0.25, batch 32), and of the same loop driven by py5ml's numpy
``DenseStep``, with the per-batch time of each. The two run one epoch each in turn, ``--epochs``
times; ``step_speedup`` is the median of the paired ratios. Running it in a fresh process keeps it honest: a
loop run after a sketch in the same process (JVM threads, a warmed or fragmented heap) moves.

    python benchmarks/_reference_loop.py [--data colorData.json] [--epochs 5]
"""

import argparse
import json
import statistics
import time

import numpy as np
import torch

from py5ml.data._color_data import load_color_data
from py5ml.training._fast_step import DenseStep
from py5ml.training._losses import _sparse_ce

BATCH = 32


def make_model(seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 9),
                                torch.nn.Softmax(dim=1))
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return model


def torch_loop(xs, labels, epochs):
    """The reference: autograd, ``torch.optim.SGD``, ``loss.item()`` every batch."""
    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.25)
    batches, start = 0, time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(xs))
        for i in range(0, len(xs), BATCH):
            idx = order[i:i + BATCH]
            probs = model(xs[idx])
            loss = -probs.gather(1, labels[idx].unsqueeze(1)).clamp(1e-7, 1 - 1e-7).log().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
            batches += 1
    return batches / (time.perf_counter() - start)


def dense_step_loop(xs, labels, epochs):
    """The same training with py5ml's numpy step (what ``fit`` uses for this network)."""
    step = DenseStep.build(make_model(), _sparse_ce, "sgd", 0.25, xs, labels, labels)
    batches, start = 0, time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(xs))
        for i in range(0, len(xs), BATCH):
            step.step(order[i:i + BATCH])
            batches += 1
    return batches / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)  # tiny batches: threads only add overhead
    data = load_color_data(args.data)
    xs = torch.from_numpy(data.rgb / 255).float()
    labels = torch.from_numpy(np.asarray(data.one_hot()).argmax(axis=1))
    torch_loop(xs, labels, 1), dense_step_loop(xs, labels, 1)  # warm up
    pairs = [(torch_loop(xs, labels, 1), dense_step_loop(xs, labels, 1)) for _ in range(args.epochs)]
    torch_rate = statistics.median(t for t, _ in pairs)  # one epoch of each, in turn: a change in
    dense_rate = statistics.median(d for _, d in pairs)  # the machine's load hits both alike
    print(json.dumps({"torch_loop": round(torch_rate, 1), "dense_step_loop": round(dense_rate, 1),
                      "step_speedup": round(statistics.median(d / t for t, d in pairs), 2),
                      "torch_us_per_batch": round(1e6 / torch_rate, 1),
                      "dense_step_us_per_batch": round(1e6 / dense_rate, 1)}))


if __name__ == "__main__":
    main()
