"""ml5's load_model example, in py5: load a color classifier that ml5 trained and saved.

The three files (model.json, model.weights.bin, model_meta.json) are ml5's own. The color drifts
around the color wheel, and the network names it, asking again each time it answers.

    python examples/ml5/nn_load_model.py --model path/to/model.json
"""

from pathlib import Path

import py5ml
import py5


ML5_MODEL = Path(__file__).resolve().parents[3] / "shared/data/ml5_examples/NeuralNetwork/NeuralNetwork_load_model/model/model.json"
args = py5ml.parse_sketch_args("ml5 load_model",
                               add_arguments=lambda p: p.add_argument("--model", default=str(ML5_MODEL)))
nn = py5ml.NeuralNetwork()
r, g, b = 255, 0, 0
label = "loading..."


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    nn.load(args.model, model_loaded)


def model_loaded():
    print("loaded; labels:", ", ".join(nn.labels))
    nn.classify({"r": r, "g": g, "b": b}, got_results)


def got_results(error, results):
    global label
    if error:
        print(error)
        return
    if results[0]["label"] != label:
        print("now:", results[0]["label"])
    label = results[0]["label"]
    nn.classify({"r": r, "g": g, "b": b}, got_results)


def draw():
    global r, g, b
    py5.color_mode(py5.HSB, 360, 100, 100)
    hue = py5.color(py5.frame_count % 360, 90, 95)
    r, g, b = py5.red(hue), py5.green(hue), py5.blue(hue)
    py5.color_mode(py5.RGB, 255)
    py5.background(r, g, b)
    py5.fill(0)
    py5.rect(0, py5.height - 80, py5.width, 80)
    py5.fill(255)
    py5.text_size(32)
    py5.text_align(py5.CENTER, py5.CENTER)
    py5.text(label, py5.width / 2, py5.height - 40)


py5.run_sketch()
