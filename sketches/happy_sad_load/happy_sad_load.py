"""Happy / Sad, part 2: load the head trained in happy_sad.py and classify straight away.

Only the small head was saved (model.json + model.weights.bin); the backbone comes from its own
weights. So this sketch first loads the backbone, then the head — the same order as ml5's
``featureExtractor('MobileNet', modelReady)`` then ``classifier.load('model.json', customModelReady)``.

    python sketches/happy_sad_load/happy_sad_load.py --load happy_sad_model/model.json
    python sketches/happy_sad_load/happy_sad_load.py --load out/model.json --source synthetic

By default the backbone is the one the model file names; ``--backbone`` picks another (and a
model made for a different backbone then says, on screen, which one it needs).
Keys: b = balloon (synthetic scene), l = load the model again.
"""

import json
import sys
from pathlib import Path

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, camera:N, video:PATH, images:DIR or synthetic")
    parser.add_argument("--backbone", default=None, help="default: the backbone the model was trained on")
    parser.add_argument("--load", metavar="PATH", default="happy_sad_model/model.json", help="the model.json to load")
    parser.add_argument("--save", metavar="DIR", help="unused here; accepted so both sketches take the same flags")


args = py5ml.parse_sketch_args("py5ml happy / sad: load a trained model", add_arguments=add_flags)

video = None
extractor = None
classifier = None
status = "loading model..."
note = ""
label = "..."
is_classifying = False
ui = py5ml.UI()


def setup():
    global video, note
    py5.size(640, 560)
    py5.text_font(py5.create_font("DejaVu Sans", 16))
    video = py5ml.Capture(args.source)
    if video.message:
        note = "no camera: synthetic scene (b = balloon)"
    ui.add(py5ml.Button("Balloon", 330, 490, 140, 34, key="b", on_click=video.toggle))
    ui.add(py5ml.Button("Reload", 480, 490, 140, 34, key="l", on_click=reload))
    start_backbone(args.backbone or backbone_named_in(args.load))
    py5ml.finish_after(args.frames, args.screenshot)


def backbone_named_in(model_json):
    """Peek at model.json's metadata for the backbone it was trained on (MobileNet if unsure)."""
    try:
        meta = json.loads(Path(model_json).read_text())["userDefinedMetadata"]["py5ml"]
        return meta["version"]
    except (OSError, KeyError, TypeError, ValueError):
        return "MobileNet"


def start_backbone(name):
    global extractor, classifier
    extractor = py5ml.feature_extractor(name, callback=model_ready, on_error=backbone_failed)
    classifier = extractor.classification(video)


def model_ready():
    global status
    status = f"{extractor.name} ready, loading model..."
    classifier.load(args.load, callback=custom_model_ready, on_error=show_error)


def reload():
    if extractor.is_ready:
        model_ready()


def backbone_failed(error):
    global note
    if extractor.name == "EfficientNetLite0":
        show_error(error)
        return
    note = "MobileNet weights unavailable: using EfficientNetLite0"
    print(f"happy_sad_load: {error}", file=sys.stderr)
    print(f"happy_sad_load: {note} (works offline)")
    start_backbone("EfficientNetLite0")


def custom_model_ready():
    global status, is_classifying
    status = "model ready"
    print(f"happy_sad_load: model ready, labels {classifier.labels}")
    if not is_classifying:  # one classify loop is enough, even after a reload
        is_classifying = True
        classifier.classify(got_results)


def got_results(results):
    global label
    label = f"{results[0]['label']} {results[0]['confidence']:.0%}"
    classifier.classify(got_results)


def show_error(error):
    global status
    status = str(error)
    print(f"happy_sad_load: {error}", file=sys.stderr)


def draw():
    py5.background(30)
    video.draw(0, 0, 640, 480)
    py5.fill(255)
    py5.text_size(16)
    py5.text(status, 10, 10, 620, 60)  # wraps long error messages
    py5.fill(255, 220, 90)
    py5.text(note, 10, 80)
    py5.fill(255)
    py5.text_size(26)
    py5.text(label, 10, 518)
    if classifier.head is not None:
        py5.text_size(13)
        py5.text(f"labels: {', '.join(classifier.labels)}", 10, 548)
    ui.draw()


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_released():
    ui.mouse_released()


def key_pressed():
    ui.key_pressed(py5.key)


py5.run_sketch()
