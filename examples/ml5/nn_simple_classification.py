"""ml5's simple classification, in py5: click to add points, keys pick the label, "t" trains.

Press a letter to choose the label, click to add a point with it. Press "t" to train; then the
network names the region under the mouse, asking again each time it answers. ``--demo`` adds
three groups of points and trains by itself (for running without a mouse).

    python examples/ml5/nn_simple_classification.py --demo
"""

import random

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 simple classification",
                               add_arguments=lambda p: p.add_argument("--demo", action="store_true"))
nn = py5ml.NeuralNetwork({"inputs": ["x", "y"], "outputs": ["label"], "task": "classification", "debug": True})
COLORS = {"A": (230, 60, 60), "B": (60, 200, 90), "C": (70, 110, 240)}
points = []
label = "A"
guess = None


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    if args.demo:
        for name, (cx, cy) in zip("ABC", [(100, 100), (300, 120), (200, 300)]):
            for _ in range(30):
                add_point(cx + random.gauss(0, 30), cy + random.gauss(0, 30), name)
        train()


def add_point(x, y, name):
    points.append((x, y, name))
    nn.add_data({"x": x, "y": y}, {"label": name})


def train():
    nn.normalize_data()
    nn.train({"epochs": 64}, finished_training)


def finished_training():
    print("trained")
    nn.classify(probe(), got_results)


def got_results(error, results):
    global guess
    if error:
        print(error)
        return
    guess = results[0]["label"]
    nn.classify(probe(), got_results)  # ask again: the answer comes on the next frame


def probe():
    if args.demo:  # no mouse: a point that circles the canvas
        t = py5.frame_count * 0.03
        return [200 + 150 * py5.cos(t), 200 + 150 * py5.sin(t)]
    return [py5.mouse_x, py5.mouse_y]


def draw():
    py5.background(30)
    py5.no_stroke()
    for x, y, name in points:
        py5.fill(*COLORS.get(name, (200, 200, 200)))
        py5.circle(x, y, 12)
    if guess is not None:
        x, y = probe()
        py5.fill(*COLORS.get(guess, (255, 255, 255)))
        py5.circle(x, y, 40)
        py5.fill(255)
        py5.text_size(24)
        py5.text(guess, x - 8, y + 8)


def mouse_pressed():
    add_point(py5.mouse_x, py5.mouse_y, label)


def key_pressed():
    global label
    if py5.key == "t":
        train()
    elif str(py5.key).isalpha():
        label = str(py5.key).upper()


py5.run_sketch()
