"""Happy / Sad: the Coding Train's ml5 featureExtractor lesson, in py5 + py5ml.

MobileNet already "sees" — it was trained on a million ImageNet photos. We keep its eyes and
teach a tiny new head our own two words: show a happy face, click Happy a few times; show a sad
face, click Sad; click Train and watch the loss fall; then the sketch names what it sees, live.

    python sketches/happy_sad/happy_sad.py                       # webcam (synthetic scene if none)
    python sketches/happy_sad/happy_sad.py --source synthetic    # b: the figure takes / drops its balloon
    python sketches/happy_sad/happy_sad.py --demo --save out     # drives itself, prints accuracy

Keys: h = Happy, s = Sad, t = Train, v = Save, b = balloon (synthetic scene).
Without MobileNet's weights (offline, nothing cached) it says so and uses EfficientNet-Lite0.
"""

import random
import sys
from pathlib import Path

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, camera:N, video:PATH, images:DIR or synthetic")
    parser.add_argument("--backbone", default="MobileNet", help="MobileNet, mobilenet_v2, mobilenet_v3_large or EfficientNetLite0")
    parser.add_argument("--save", metavar="DIR", default="happy_sad_model", help="where Save writes model.json and examples.npz")
    parser.add_argument("--load", metavar="PATH", help="start from saved examples (examples.npz) to add more")
    parser.add_argument("--demo", action="store_true", help="drive itself from the synthetic scene and print accuracy=...")


args = py5ml.parse_sketch_args("py5ml happy / sad (ml5 featureExtractor)", add_arguments=add_flags)
if args.demo:
    args.source = "synthetic"

loading = py5ml.preload("vision")  # torch and torchvision load while the window opens
video = None  # the picture source
extractor = None  # MobileNet (or EfficientNet-Lite0), running on its own thread
classifier = None  # the small head we train
ui = py5ml.UI()
graph = py5ml.LossGraph(430, 84, 200, 110, title="loss")
status = "loading model..."
note = ""  # a fallback message, shown on screen
label = "..."  # the latest result
finish_at_frame = None  # the demo ends a couple of frames after it is done


def setup():
    global happy_button, sad_button, train_button, save_button
    py5.size(640, 560)
    py5.text_font(py5.create_font("DejaVu Sans", 16))
    video = start_video()
    happy_button = ui.add(py5ml.Button("Happy", 10, 490, 140, 34, key="h", on_click=lambda: add_example("happy")))
    sad_button = ui.add(py5ml.Button("Sad", 160, 490, 140, 34, key="s", on_click=lambda: add_example("sad")))
    train_button = ui.add(py5ml.Button("Train", 330, 490, 140, 34, key="t", on_click=train))
    save_button = ui.add(py5ml.Button("Save", 480, 490, 140, 34, key="v", on_click=save))
    if args.demo:
        py5ml.start_task(demo())
    else:
        py5ml.finish_after(args.frames, args.screenshot)


def start_video():
    global video, note
    video = py5ml.Capture(args.source)
    if video.message:  # no camera: say so, and carry on with the synthetic scene
        note = "no camera: synthetic scene (b = balloon)"
    return video


def start_backbone(name):
    global extractor, classifier
    extractor = py5ml.feature_extractor(name, callback=model_ready, on_error=backbone_failed)
    classifier = extractor.classification(video)


def model_ready():
    global status
    status = f"{extractor.name} ready: add examples"
    print(f"happy_sad: {extractor.name} ({extractor.version}) ready")
    if args.load:
        classifier.load_examples(args.load, callback=lambda n: print(f"happy_sad: loaded {n} examples"))


def backbone_failed(error):
    global note, status
    if extractor.name == "EfficientNetLite0":
        status = f"no backbone: {error}"
        raise error
    note = f"{args.backbone} weights unavailable: using EfficientNetLite0"
    print(f"happy_sad: {error}", file=sys.stderr)
    print(f"happy_sad: {note} (works offline)")
    start_backbone("EfficientNetLite0")


def add_example(name):
    if extractor is not None and extractor.is_ready:
        classifier.add_image(name)


def train():
    global status
    if classifier is None or classifier.example_count == 0:
        status = "Add some examples before training!"
        return
    status = "training..."
    train_button.is_highlighted = True
    return classifier.train(while_training, callbacks=[graph])


def while_training(loss):
    global status
    if loss is None:  # training is done: classify, and keep classifying
        status = "trained: classifying"
        train_button.is_highlighted = False
        if not args.demo:
            classifier.classify(got_results)
    else:
        status = f"training... loss {loss:.4f}"


def got_results(results):
    global label
    label = f"{results[0]['label']} {results[0]['confidence']:.0%}"
    classifier.classify(got_results)


def save():
    global status
    if classifier is None:
        return
    path = classifier.save(args.save)
    classifier.save_examples(Path(args.save) / "examples.npz")
    status = f"saved {path}"
    print(f"happy_sad: saved {path} and examples.npz")


def draw():
    if extractor is None and loading.is_ready:  # the first frame with torch here: start MobileNet
        start_backbone(args.backbone)
    py5.background(30)
    video.draw(0, 0, 640, 480)
    counts = classifier.example_counts if classifier is not None else {}
    happy_button.label = f"Happy {counts.get('happy', 0)}"
    sad_button.label = f"Sad {counts.get('sad', 0)}"
    ui.draw()
    if graph.trace.total:
        graph.draw()
    py5.fill(255)
    py5.text_size(16)
    py5.text(status if extractor is not None else loading.status, 10, 24)  # "loading torch…" first
    py5.fill(255, 220, 90)
    py5.text(note, 10, 46)
    py5.fill(255)
    py5.text_size(26)
    py5.text(label, 10, 550)
    if finish_at_frame is not None and py5.frame_count >= finish_at_frame:
        finish_demo()


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_released():
    ui.mouse_released()


def key_pressed():
    if py5.key == "b":
        video.toggle()
    else:
        ui.key_pressed(py5.key)


# -- the demo: the same steps a person would take, done by a script -----------------------------
async def demo():
    global label, status, finish_at_frame
    while extractor is None or not extractor.is_ready:  # loading; the fallback may swap the extractor
        await py5ml.next_frame()
    for name, holding in (("happy", True), ("sad", False)):
        video.holding = holding  # happy: holds the balloon and smiles
        for _ in range(30):
            await classifier.add_image_async(name)
            await py5ml.next_frame()
    status = "training..."
    await classifier.train_async(while_training, callbacks=[graph])
    save()
    correct = 0
    for i in range(40):
        video.holding = random.random() < 0.5
        results = await classifier.classify_async()
        correct += results[0]["label"] == ("happy" if video.holding else "sad")
        label = f"{results[0]['label']} {results[0]['confidence']:.0%}"
        await py5ml.next_frame()
    status = f"demo: {correct}/40 right"
    print(f"accuracy={correct / 40:.3f} examples={classifier.example_count}")
    finish_at_frame = py5.frame_count + 2


def finish_demo():
    if args.screenshot:
        Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
        py5.save_frame(str(args.screenshot))
    video.close()
    py5.exit_sketch()


py5.run_sketch()
