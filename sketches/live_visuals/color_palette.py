"""Live visuals: a color classifier's nine confidences paint the canvas while it learns.

Run it with py5's live coding, then edit draw() and save: the network keeps training, the loss
graph keeps growing, and your new drawing code shows up at once.

    py5-live-coding sketches/live_visuals/color_palette.py
    PY5ML_ARGS="--data colorData.json" py5-live-coding sketches/live_visuals/color_palette.py

A probe color wanders through RGB space. Each frame the network says how red-ish, green-ish,
... grey-ish it finds it: nine numbers that add up to 1. They set the width of each stripe of
the palette and the size of each orbiting circle. Early on the network is unsure and the palette
is even; as it learns, one or two colors take over. It also runs as a plain sketch:
``python sketches/live_visuals/color_palette.py --frames 600 --screenshot out/palette.png``.
"""

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--data", help="a colorData.json file (default: cached/downloaded, else offline colors)")


args = py5ml.parse_sketch_args("py5ml live visuals: color palette", add_arguments=add_flags)

# One color for each label, to paint with.
PAINT = {"red-ish": (230, 60, 60), "green-ish": (70, 200, 90), "blue-ish": (60, 110, 235),
         "orange-ish": (245, 150, 40), "yellow-ish": (240, 220, 60), "pink-ish": (240, 130, 190),
         "purple-ish": (150, 80, 210), "brown-ish": (140, 90, 50), "grey-ish": (150, 150, 150)}


def make_network(colors):
    nn = py5ml.NeuralNetwork(inputs=["r", "g", "b"], outputs=list(py5ml.COLOR_LABELS),
                             hidden_units=16, learning_rate=0.25)
    for rgb, label in zip(colors.rgb, colors.labels):
        nn.add_data(rgb, label)
    nn.normalize_data(0, 255)
    return nn


# keep(): made once, the same after every save. Data loads once; training goes on.
colors = py5ml.keep("colors", py5ml.load_color_data, args.data)
nn = py5ml.keep("nn", make_network, colors)
graph = py5ml.keep("graph", py5ml.LossGraph, 384, 36, 236, 110, title="loss")


def setup():
    py5.size(640, 480)
    py5.text_font(py5.create_font("DejaVu Sans", 14))
    nn.train(epochs=40, callbacks=[graph])  # after a save: the same training goes on
    print(f"color_palette: learning from {colors.source}", flush=True)
    py5ml.finish_after(args.frames, args.screenshot)


def probe_color():
    """A color that drifts smoothly through RGB space (Perlin noise, one channel each)."""
    t = py5.frame_count * 0.004
    return [int(255 * py5.noise(t, channel * 10)) for channel in range(3)]


def draw():
    py5.background(18)
    rgb = probe_color()
    if nn.model is None:
        return
    results = {r["label"]: r["confidence"] for r in nn.classify(rgb)}
    draw_palette(results)
    draw_orbits(results)
    draw_probe(rgb, max(results, key=results.get))
    graph.draw()


def draw_palette(results):
    """Nine stripes along the bottom, as wide as the network is sure."""
    x = 0
    py5.no_stroke()
    for label in py5ml.COLOR_LABELS:
        w = results[label] * py5.width
        py5.fill(*PAINT[label])
        py5.rect(x, py5.height - 70, w, 70)
        x += w


def draw_orbits(results):
    """Nine circles orbiting the middle; confident labels grow big and swing out."""
    py5.push_matrix()
    py5.translate(py5.width / 2, 200)
    for i, label in enumerate(py5ml.COLOR_LABELS):
        angle = py5.TWO_PI * i / 9 + py5.frame_count * 0.01
        reach = 60 + 110 * results[label]
        py5.fill(*PAINT[label], 200)
        py5.circle(reach * py5.cos(angle), reach * py5.sin(angle), 12 + 120 * results[label])
    py5.pop_matrix()


def draw_probe(rgb, best):
    py5.fill(*rgb)
    py5.stroke(255)
    py5.stroke_weight(2)
    py5.circle(py5.width / 2, 200, 56)
    py5.no_stroke()
    py5.fill(255)
    py5.text_size(22)
    py5.text(best, 16, 34)


py5.run_sketch()
