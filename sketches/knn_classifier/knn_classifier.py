"""KNN Classifier: the Coding Train's ml5 KNN webcam lesson, in py5 + py5ml.

No training! MobileNet turns each frame into 256 numbers; pressing A, B or C keeps the current
frame's numbers with that label. From the very first example on, every new frame is compared with
all the kept ones, and its three nearest neighbours vote: that's the label and the bars below.

    python sketches/knn_classifier/knn_classifier.py                        # webcam (synthetic scene if none)
    python sketches/knn_classifier/knn_classifier.py --weights mobilenet/   # ml5's MobileNet v1 files, offline
    python sketches/knn_classifier/knn_classifier.py --demo                 # adds examples by itself

Keys: A/B/C (or 1/2/3) add an example, S save, L load, X clear all, space = balloon (synthetic scene).
"""

import random
from pathlib import Path

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, camera:N, video:PATH, images:DIR or synthetic")
    parser.add_argument("--weights", default="DEFAULT", help="ml5's MobileNet v1 folder (default: download it once)")
    parser.add_argument("--file", default="myKNN.json", help="where S saves and L loads the examples")
    parser.add_argument("--demo", action="store_true", help="add examples from the synthetic scene, print accuracy=...")


args = py5ml.parse_sketch_args("py5ml KNN classifier (ml5 KNNClassifier)", add_arguments=add_flags)
if args.demo:
    args.source = "synthetic"

KEYS = {"a": "A", "b": "B", "c": "C", "1": "A", "2": "B", "3": "C"}
COLORS = {"A": (255, 110, 80), "B": (90, 210, 120), "C": (90, 150, 255)}
knn = py5ml.KNNClassifier()
video = None
extractor = None
result = None  # the latest classification
is_classifying = False
status = "loading MobileNet..."
finish_at_frame = None


def setup():
    global video
    py5.size(640, 600)
    py5.text_font(py5.create_font("DejaVu Sans", 16))
    video = py5ml.Capture(args.source)
    start_backbone("MobileNet", version=1, weights=args.weights)
    if args.demo:
        py5ml.start_task(demo())
    else:
        py5ml.finish_after(args.frames, args.screenshot)


def start_backbone(name, **options):
    global extractor
    extractor = py5ml.feature_extractor(name, callback=model_ready, on_error=backbone_failed, **options)


def model_ready():
    global status
    status = f"{extractor.name} ready: press A, B or C to add examples"


def backbone_failed(error):
    global status
    if extractor.name == "EfficientNetLite0":
        raise error
    print(f"knn_classifier: {error}\nknn_classifier: MobileNet unavailable: using EfficientNetLite0 (works offline)")
    status = "MobileNet unavailable: using EfficientNetLite0"
    start_backbone("EfficientNetLite0")


def add_example(label):
    if not extractor.is_ready:
        return
    features = extractor.infer(video)
    knn.add_example(features, label)
    if not is_classifying:
        classify()  # no training step: classify as soon as there is one example


def classify():
    global is_classifying
    is_classifying = knn.get_num_labels() > 0
    if is_classifying:
        knn.classify(extractor.infer(video), got_results)


def got_results(error, results):
    global result
    if error:
        print(error)
        return
    result = results
    classify()  # and again, on the next frame


def draw():
    py5.background(30)
    video.draw(0, 0, 640, 480)
    counts = knn.get_count_by_label()
    for row, label in enumerate(COLORS):
        draw_bar(label, counts.get(label, 0), 500 + row * 32)
    py5.fill(0, 140)
    py5.rect(0, 0, 640, 34)  # a dark band, so the status reads on any picture
    py5.fill(255)
    py5.text_size(16)
    py5.text(status, 10, 24)
    if result is not None:
        py5.fill(*COLORS.get(result["label"], (255, 255, 255)))
        py5.text_size(40)
        py5.text(result["label"], 580, 460)
    if finish_at_frame is not None and py5.frame_count >= finish_at_frame:
        finish_demo()


def draw_bar(label, count, y):
    """One row: the label, how many examples it has, and its share of the nearest votes."""
    confidence = result["confidencesByLabel"].get(label, 0) if result else 0
    py5.no_stroke()
    py5.fill(60)
    py5.rect(150, y, 400, 24)
    py5.fill(*COLORS[label])
    py5.rect(150, y, 400 * confidence, 24)
    py5.fill(255)
    py5.text_size(16)
    py5.text(f"{label}  {count} examples", 10, y + 18)
    py5.text(f"{confidence:.0%}", 560, y + 18)


def key_pressed():
    global result, status
    key = str(py5.key).lower()
    if key in KEYS:
        add_example(KEYS[key])
    elif key == "s" and knn.get_num_labels():
        status = f"saved {knn.save(args.file)}"
    elif key == "l":
        try:
            knn.load(args.file, lambda: classify() if not is_classifying else None)
            status = f"loaded {args.file}"
        except py5ml.Py5mlError as error:  # no file yet, or a damaged one: say so, keep going
            status = str(error)
    elif key == "x":
        knn.clear_all_labels()
        result = None
    elif key == " ":
        video.toggle()


# -- the demo: the same key presses a person would make, done by a script ------------------------
async def demo():
    global status, finish_at_frame
    while not extractor.is_ready:  # the fallback may swap the extractor while we wait
        await py5ml.next_frame()
    for label, holding in (("A", True), ("B", False)):  # A: with the balloon, B: without
        video.holding = holding
        for _ in range(12):
            add_example(label)
            await py5ml.next_frame()
    correct = 0
    for _ in range(30):
        video.holding = random.random() < 0.5
        await py5ml.next_frame()
        answer = await knn.classify_async(await extractor.infer_async(video))
        correct += answer["label"] == ("A" if video.holding else "B")
    status = f"demo: {correct}/30 right, A = balloon, B = none"
    print(f"accuracy={correct / 30:.3f} examples={sum(knn.get_count().values())}")
    video.holding = True
    finish_at_frame = py5.frame_count + 10


def finish_demo():
    if args.screenshot:
        Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
        py5.save_frame(str(args.screenshot))
    video.close()
    py5.exit_sketch()


py5.run_sketch()
