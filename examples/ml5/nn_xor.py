"""XOR with ml5's NeuralNetwork, in py5 (the Coding Train's "Porting XOR to ml5").

Two inputs, one output: 1 when exactly one input is 1. Every frame, the whole grid asks the
network at once (predict_multiple) and each cell shows its answer as a shade of grey.

    python examples/ml5/nn_xor.py
"""

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 XOR")
resolution = 20
nn = py5ml.NeuralNetwork(task="regression", seed=0)  # drop seed=0 for a fresh start each run


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    for _ in range(25):
        nn.add_data([0, 0], [0])
        nn.add_data([1, 0], [1])
        nn.add_data([0, 1], [1])
        nn.add_data([1, 1], [0])
    nn.normalize_data()
    nn.train({"epochs": 100}, finished_training)


def finished_training():
    print("trained: loss", round(nn.history.history["loss"][-1], 4))


def draw():
    py5.background(0)
    if nn.model is None:
        return
    cols, rows = py5.width // resolution, py5.height // resolution
    cells = [[i / (cols - 1), j / (rows - 1)] for i in range(cols) for j in range(rows)]
    answers = nn.predict_multiple(cells)
    py5.no_stroke()
    for (x, y), answer in zip(cells, answers):
        py5.fill(py5.constrain(answer[0]["value"], 0, 1) * 255)
        py5.rect(x * (cols - 1) * resolution, y * (rows - 1) * resolution, resolution, resolution)


py5.run_sketch()
