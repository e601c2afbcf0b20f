"""ml5's NeuralNetwork basics, in py5: make examples, train, then classify one color.

Five hundred made-up colors are labelled "red-ish" when they have more red than blue, else
"blue-ish". The network learns that rule, then names the color on the screen.

    python examples/ml5/nn_basics.py
"""

import random

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 NeuralNetwork basics")
nn = py5ml.NeuralNetwork({"inputs": 3, "outputs": 2, "task": "classification", "debug": True})
color = (230, 60, 30)
label = "training..."


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    for _ in range(500):
        r, g, b = random.random(), random.random(), random.random()
        nn.add_data([r, g, b], "red-ish" if r > b else "blue-ish")
    nn.normalize_data()
    nn.train({"epochs": 32}, finished_training)


def finished_training():
    r, g, b = color
    nn.classify([r / 255, g / 255, b / 255], got_results)


def got_results(error, results):
    global label
    if error:
        print(error)
        return
    label = f"{results[0]['label']} {results[0]['confidence']:.2f}"
    print("classified:", label)


def draw():
    py5.background(*color)
    py5.fill(255)
    py5.text_size(32)
    py5.text_align(py5.CENTER, py5.CENTER)
    py5.text(label, py5.width / 2, py5.height / 2)


py5.run_sketch()
