"""ml5's simple regression, in py5: click to add points, "t" trains, the curve follows them.

Each click is an example: its x is the input, its y the output. After training, the network
draws its guess for every x as a curve. ``--demo`` adds points along a wave and trains by itself.

    python examples/ml5/nn_simple_regression.py --demo
"""

import math
import random

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 simple regression",
                               add_arguments=lambda p: p.add_argument("--demo", action="store_true"))
nn = py5ml.NeuralNetwork({"inputs": ["x"], "outputs": ["y"], "task": "regression", "debug": True})
points = []


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    if args.demo:
        for _ in range(120):
            x = random.uniform(20, 380)
            add_point(x, 200 + 120 * math.sin(x / 60) + random.gauss(0, 10))
        train()


def add_point(x, y):
    points.append((x, y))
    nn.add_data([x], [y])


def train():
    nn.normalize_data()
    nn.train({"epochs": 150}, finished_training)


def finished_training():
    print("trained: loss", round(nn.history.history["loss"][-1], 4))


def draw():
    py5.background(30)
    py5.no_stroke()
    py5.fill(255, 200, 0)
    for x, y in points:
        py5.circle(x, y, 8)
    if nn.model is not None:  # the curve, while it learns and after
        xs = list(range(0, py5.width, 4))
        ys = [r[0]["value"] for r in nn.predict_multiple([[x] for x in xs])]
        py5.stroke(0, 220, 255)
        py5.stroke_weight(3)
        py5.no_fill()
        py5.begin_shape()
        for x, y in zip(xs, ys):
            py5.vertex(x, y)
        py5.end_shape()


def mouse_pressed():
    add_point(py5.mouse_x, py5.mouse_y)


def key_pressed():
    if py5.key == "t":
        train()


py5.run_sketch()
