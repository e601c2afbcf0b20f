"""classifyMultiple, in py5: ask about a whole grid of points in one call.

Three groups of points, one label each. Once trained, one ``classify_multiple`` call colours
every cell of the canvas by the label the network gives it, and its answer comes on the next
frame, as ml5's does.

    python examples/ml5/nn_classify_multiple.py
"""

import random

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 classifyMultiple")
nn = py5ml.NeuralNetwork({"inputs": ["x", "y"], "outputs": ["label"], "task": "classification"})
COLORS = {"A": (230, 60, 60), "B": (60, 200, 90), "C": (70, 110, 240)}
cell = 20
cells = [[x + cell / 2, y + cell / 2] for x in range(0, 400, cell) for y in range(0, 400, cell)]
points = []
grid = []


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    for label, (cx, cy) in zip("ABC", [(100, 100), (300, 120), (200, 300)]):
        for _ in range(40):
            x, y = cx + random.gauss(0, 40), cy + random.gauss(0, 40)
            points.append((x, y, label))
            nn.add_data({"x": x, "y": y}, {"label": label})
    nn.normalize_data()
    nn.train({"epochs": 50}, finished_training)


def finished_training():
    nn.classify_multiple(cells, got_results)


def got_results(error, results):
    global grid
    if error:
        print(error)
        return
    grid = [r[0]["label"] for r in results]
    print("classified", len(grid), "cells")


def draw():
    py5.background(30)
    py5.no_stroke()
    for (x, y), label in zip(cells, grid):
        py5.fill(*COLORS[label], 110)
        py5.rect(x - cell / 2, y - cell / 2, cell, cell)
    for x, y, label in points:
        py5.fill(*COLORS[label])
        py5.circle(x, y, 10)


py5.run_sketch()
