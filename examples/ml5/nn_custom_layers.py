"""Custom layers, ml5's way, in py5: three hidden layers learn a circle.

Points in the circle are "inside", the rest "outside". The ``layers`` option stacks three hidden
layers, written as ml5 writes them (the last one's units are filled in from the labels). When
training ends, the canvas is coloured by the network's answers.

    python examples/ml5/nn_custom_layers.py
"""

import math
import random

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 custom layers")
options = {
    "task": "classification",
    "optimizer": "adam",  # py5ml lets you pick; Adam finds the circle in fewer epochs than SGD
    "learning_rate": 0.02,
    "layers": [
        {"type": "dense", "units": 16, "activation": "relu"},
        {"type": "dense", "units": 16, "activation": "relu"},
        {"type": "dense", "units": 16, "activation": "relu"},
        {"type": "dense", "activation": "softmax"},
    ],
}
nn = py5ml.NeuralNetwork(options)
points = []
answers = None
cell = 10


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    for _ in range(500):
        x, y = random.uniform(0, 400), random.uniform(0, 400)
        d = math.dist((x, y), (200, 200))
        label = "inside" if d < 120 else "outside"
        points.append((x, y, label))
        nn.add_data([x, y], label)
    nn.normalize_data()
    nn.train({"epochs": 50}, finished_training)


def finished_training():
    global answers
    cells = [[x + cell / 2, y + cell / 2] for x in range(0, 400, cell) for y in range(0, 400, cell)]
    answers = list(zip(cells, nn.classify_multiple(cells)))
    print("trained: accuracy", round(nn.history.history["acc"][-1], 3))


def draw():
    py5.background(20)
    py5.no_stroke()
    if answers:
        for (x, y), results in answers:
            py5.fill(*((250, 150, 40) if results[0]["label"] == "inside" else (40, 60, 120)))
            py5.rect(x - cell / 2, y - cell / 2, cell, cell)
    for x, y, label in points:
        py5.fill(*((255, 255, 255) if label == "inside" else (0, 0, 0)))
        py5.circle(x, y, 5)


py5.run_sketch()
