"""ml5's saveData / loadData, in py5: collect examples once, train on them any day after.

Click to add a point with the current label (press a or b to switch). Press s to save the
points with ``save_data`` (ml5's format: ml5.js loads the file too), l to load them back with
``load_data``, and t to train; then the canvas is shaded by what the network says.
``--demo`` adds points in two clusters, saves them, loads them into a fresh network and trains.

    python examples/ml5/nn_save_load_data.py --demo --dir out
"""

import random

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--demo", action="store_true", help="add points, save, load and train by itself")
    parser.add_argument("--dir", default=".", help="the folder for mouse_data.json")


args = py5ml.parse_sketch_args("ml5 save and load data", add_arguments=add_flags)
nn = py5ml.NeuralNetwork({"inputs": ["x", "y"], "outputs": ["label"], "task": "classification"})
label = "a"
status = "click to add points; a/b: label, s: save, l: load, t: train"
shades = None  # the network's answer on a coarse grid, once trained


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    if args.demo:
        for _ in range(60):
            nn.add_data([random.gauss(120, 40), random.gauss(140, 40)], ["a"])
            nn.add_data([random.gauss(280, 40), random.gauss(260, 40)], ["b"])
        save()
        load()  # into a fresh network: what a new session would do


def save():
    global status
    path = nn.save_data("mouse_data", directory=args.dir)
    status = f"saved {len(nn.data)} points to {path}"
    print(status)


def load():
    global nn
    nn = py5ml.NeuralNetwork({"inputs": ["x", "y"], "outputs": ["label"], "task": "classification"})
    nn.load_data(f"{args.dir}/mouse_data.json", data_loaded)


def data_loaded():
    global status
    status = f"loaded {len(nn.data)} points"
    print(status)
    if args.demo:
        train()


def train():
    nn.normalize_data()
    nn.train({"epochs": 40}, finished_training)


def finished_training():
    global shades, status
    step = 20
    cells = [(x, y) for y in range(0, py5.height, step) for x in range(0, py5.width, step)]
    results = nn.classify_multiple([[x + step / 2, y + step / 2] for x, y in cells])
    shades = [(x, y, r[0]["label"]) for (x, y), r in zip(cells, results)]
    status = "trained: the shade is the network's answer"
    print(status)


def draw():
    py5.background(250)
    py5.no_stroke()
    for x, y, answer in shades or []:
        py5.fill(*((255, 215, 215) if answer == "a" else (210, 220, 255)))
        py5.rect(x, y, 20, 20)
    for row, target in zip(nn.data.rows, nn.data.targets):
        py5.fill(*((220, 40, 40) if target == "a" else (40, 80, 230)))
        py5.circle(row[0], row[1], 10)
    py5.fill(30)
    py5.text_size(12)
    py5.text(f"label: {label}   {status}", 8, py5.height - 8)


def mouse_pressed():
    nn.add_data([py5.mouse_x, py5.mouse_y], [label])


def key_pressed():
    global label
    if py5.key in ("a", "b"):
        label = py5.key
    elif py5.key == "s":
        save()
    elif py5.key == "l":
        load()
    elif py5.key == "t":
        train()


py5.run_sketch()
