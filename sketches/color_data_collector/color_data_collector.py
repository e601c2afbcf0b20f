"""Color Data Collector: the Coding Train's lesson 7.1, in py5 + py5ml.

Before a network can learn colors, people have to name them. The sketch shows a random color;
you say what it is with a button or a key (1-9), and the next color appears. Every answer is
kept as {"r", "g", "b", "label", "uid"}, the shape of colorData.json, and saved to a file that
the color classifier trains on:

    python sketches/color_data_collector/color_data_collector.py --out my_colors.json
    python sketches/color_classifier/color_classifier.py --data my_colors.json

Keys: 1-9 = the nine labels (the order of the buttons), s = save, u = undo the last answer.
--auto N lets a scripted helper answer N colors by itself (a demo, and what the tests run).
"""

import random
import uuid
from pathlib import Path

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--out", default="colorData.json", help="the file to write (it is read first if it exists)")
    parser.add_argument("--auto", type=int, default=0, metavar="N", help="answer N colors automatically, then save")
    parser.add_argument("--seed", type=int, help="repeatable random colors")


args = py5ml.parse_sketch_args("py5ml color data collector", add_arguments=add_flags)
random.seed(args.seed)

LABELS = py5ml.COLOR_LABELS  # red-ish, green-ish, ... grey-ish: the lesson's order
uid = uuid.uuid4().hex[:12]  # one id per person (per run), like the lesson's sign-in
entries = []  # every color labelled so far
color = (0, 0, 0)  # the color on screen
status = ""
ui = py5ml.UI()


def setup():
    global status
    py5.size(640, 480)
    py5.text_font(py5.create_font("DejaVu Sans", 14))
    for i, label in enumerate(LABELS):  # a 3 x 3 grid of answer buttons
        x, y = 330 + i % 3 * 102, 40 + i // 3 * 56
        ui.add(py5ml.Button(label, x, y, 98, 46, key=str(i + 1), on_click=lambda label=label: answer(label)))
    ui.add(py5ml.Button("Save", 330, 226, 149, 40, key="s", on_click=save))
    ui.add(py5ml.Button("Undo", 483, 226, 149, 40, key="u", on_click=undo))
    if Path(args.out).exists():  # carry on with an earlier session's file
        earlier = py5ml.load_color_data(args.out)
        entries.extend({"r": int(r), "g": int(g), "b": int(b), "label": label, "uid": "earlier"}
                       for (r, g, b), label in zip(earlier.rgb, earlier.labels))
        status = f"read {len(entries)} colors from {args.out}"
    next_color()
    py5ml.finish_after(args.frames, args.screenshot, on_finish=save)


def next_color():
    global color
    color = (random.randint(0, 255), random.randint(0, 255), random.randint(0, 255))


def answer(label):
    """Keep what the person said about this color, then show a new one."""
    global status
    r, g, b = color
    entries.append({"r": r, "g": g, "b": b, "label": label, "uid": uid})
    status = f"{label} for rgb({r}, {g}, {b})"
    next_color()


def undo():
    global status
    if entries:
        status = f"took back {entries.pop()['label']}"


def save():
    global status
    if not entries:
        status = "label a few colors first"
        return
    path = py5ml.save_color_data(entries, args.out)
    status = f"saved {len(entries)} colors to {path}"
    print(status, flush=True)


def draw():
    py5.background(34)
    if args.auto and len(entries) < args.auto:
        ui.key_pressed(str(LABELS.index(helper_label(*color)) + 1))  # the helper "types" its answer
        if len(entries) == args.auto:
            save()
    py5.no_stroke()
    py5.fill(*color)
    py5.rect(20, 40, 300, 300, 12)
    ui.draw()
    draw_counts(330, 300, 302, 130)
    py5.fill(230)
    py5.text_size(14)
    py5.text_align(py5.LEFT, py5.BASELINE)
    py5.text("What color is this?", 20, 28)
    py5.text(status, 20, 462)


def draw_counts(x, y, w, h):
    """A bar per label: how many answers each has (the data's balance, seen at a glance)."""
    counts = [sum(e["label"] == label for e in entries) for label in LABELS]
    top = max(max(counts), 1)
    bar = w / len(LABELS)
    py5.text_size(11)
    py5.text_align(py5.CENTER, py5.BOTTOM)
    for i, count in enumerate(counts):
        height = count / top * (h - 18)
        py5.fill(*PROTOTYPES[LABELS[i]])  # each bar in its label's typical color
        py5.rect(x + i * bar + 2, y + h - height, bar - 4, height)
        py5.fill(220)
        py5.text(str(count), x + (i + 0.5) * bar, y + h - height - 2)
    py5.text_align(py5.LEFT, py5.TOP)
    py5.text(f"{len(entries)} colors labelled", x, y - 16)


PROTOTYPES = {"red-ish": (220, 30, 30), "green-ish": (50, 180, 60), "blue-ish": (40, 70, 220),
              "orange-ish": (245, 140, 30), "yellow-ish": (240, 230, 40), "pink-ish": (245, 120, 200),
              "purple-ish": (130, 50, 190), "brown-ish": (120, 70, 30), "grey-ish": (128, 128, 128)}


def helper_label(r, g, b):
    """The scripted helper's answer for --auto: the nearest of nine typical colors."""
    return min(PROTOTYPES, key=lambda name: sum((c - p) ** 2 for c, p in zip((r, g, b), PROTOTYPES[name])))


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_released():
    ui.mouse_released()


def key_pressed():
    ui.key_pressed(py5.key)


py5.run_sketch()
