"""A sketch that trains while tests/test_live_coding.py rewrites it under py5-live-coding.

The test fills in VERSION, the background color and EXTRA drawing code; every version prints a
report line every 15 frames and saves a screenshot 20 frames after its setup() ran.
"""

import os
from pathlib import Path

import numpy as np
import py5

import py5ml

VERSION = 0  # @VERSION@
OUT = Path(os.environ["LIVE_OUT"])


def make_network():
    nn = py5ml.NeuralNetwork(inputs=2, outputs=["above", "below"], hidden_units=8, seed=1)
    rng = np.random.default_rng(0)
    for x, y in rng.random((512, 2)):
        nn.add_data([x, y], "above" if y > x else "below")
    return nn


nn = py5ml.keep("nn", make_network)
stats = py5ml.keep("stats", dict)


def on_batch(batch, logs):
    stats["batches"] = stats.get("batches", 0) + 1
    stats["callback_version"] = VERSION
    stats["loss"] = logs["loss"]


def weights():
    return float(sum(p.detach().double().abs().sum() for p in nn.model.parameters()))


def setup():
    py5.size(200, 200)
    nn.train(epochs=100000, batch_size=16, validation_split=0, yield_every="auto",
             callbacks=[py5ml.LambdaCallback(on_batch_end=on_batch)])
    stats.setdefault("initial_weights", weights())
    stats["shoot_at"] = py5.frame_count + 20
    print(f"setup version={VERSION} reloads={py5ml.is_live_coding()}", flush=True)


def draw():
    py5.background(0)  # @BACKGROUND@
    py5.no_stroke()
    # @EXTRA@
    if py5.frame_count % 15 == 0:
        print(f"report version={VERSION} batches={stats.get('batches', 0)} model={id(nn.model)} "
              f"weights={weights():.6f} initial={stats['initial_weights']:.6f} "
              f"callback_version={stats.get('callback_version')} py5ml={id(py5ml)}", flush=True)
    if py5.frame_count == stats["shoot_at"]:
        py5.save_frame(str(OUT / f"version{VERSION}.png"), use_thread=False)
        print(f"shot version={VERSION}", flush=True)


py5.run_sketch()
