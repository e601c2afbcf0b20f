"""Imported mode: no ``py5.`` prefixes, run with ``python -m py5_tools.tools.run_sketch THIS_FILE``.

py5's runner passes no flags through, so the frame count comes from PY5ML_FAULT_FRAMES.
The fit's data is made inline: imported-mode files stand alone.
"""

import os

import numpy as np
import torch

import py5ml

FRAMES = int(os.environ.get("PY5ML_FAULT_FRAMES", "60"))
counted = 0


async def count_frames():
    global counted
    while True:
        counted += 1
        await py5ml.next_frame()


async def train():
    x = np.random.default_rng(0).random((256, 3), dtype=np.float32)
    y = np.eye(3, dtype=np.float32)[x.argmax(axis=1)]
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Sigmoid(), torch.nn.Linear(8, 3), torch.nn.Softmax(dim=1))
    history = await py5ml.fit(model, x, y, epochs=3, batch_size=32)
    return history.history["loss"][-1]


def setup():
    global counter, trainer
    size(160, 100)
    py5ml.finish_after(FRAMES, on_finish=report)
    counter = py5ml.start_task(count_frames())
    trainer = py5ml.start_task(train())


def draw():
    background(40)


def report():
    print(f"mode=imported frame_count={frame_count} counted={counted} "
          f"fit_done={trainer.is_done} fit_loss={trainer.result}", flush=True)
