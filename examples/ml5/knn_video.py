"""ml5's KNNClassification_Video, in py5: a rock / paper / scissors classifier with no training.

Each button keeps the current frame's MobileNet features under its label; Predict starts the KNN
classifier, which names each new frame after its nearest examples. Save and load use ml5's file.

    python examples/ml5/knn_video.py --weights mobilenet_v1_0.25/   # ml5's MobileNet files, offline
    python examples/ml5/knn_video.py --demo                           # drives itself
"""

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, video:PATH or synthetic")
    parser.add_argument("--weights", default="DEFAULT", help="ml5's MobileNet v1 folder (default: download)")
    parser.add_argument("--demo", action="store_true", help="add examples and predict by itself")


args = py5ml.parse_sketch_args("ml5 KNN classification of video", add_arguments=add_flags)
LABELS = ["Rock", "Paper", "Scissor"]
knn = py5ml.KNNClassifier()
ui = py5ml.UI()
result = None
status = "loading model..."


def setup():
    global video, feature_extractor
    py5.size(640, 620)
    video = py5ml.Capture("synthetic" if args.demo else args.source)
    feature_extractor = py5ml.feature_extractor("MobileNet", model_ready, version=1, weights=args.weights)
    for i, label in enumerate(LABELS):
        ui.add(py5ml.Button(f"Add {label}", 10 + 160 * i, 490, 150, 34, key=str(i + 1),
                            on_click=lambda label=label: add_example(label)))
    ui.add(py5ml.Button("Predict", 490, 490, 140, 34, key="p", on_click=classify))
    ui.add(py5ml.Button("Clear all", 490, 530, 140, 34, key="x", on_click=knn.clear_all_labels))
    ui.add(py5ml.Button("Save", 490, 570, 65, 34, key="s", on_click=lambda: knn.save("myKNNDataset.json")))
    ui.add(py5ml.Button("Load", 565, 570, 65, 34, key="l", on_click=lambda: knn.load("myKNNDataset.json")))
    if args.demo:
        py5ml.start_task(demo())
    py5ml.finish_after(args.frames, args.screenshot)


def model_ready():
    global status
    status = "model ready"


def add_example(label):
    features = feature_extractor.infer(video)  # the frame, as MobileNet's 256 numbers
    knn.add_example(features, label)


def classify():
    if knn.get_num_labels() <= 0:
        print("There are no examples in any label")
        return
    knn.classify(feature_extractor.infer(video), got_results)


def got_results(error, results):
    global result
    if error:
        print(error)
        return
    result = results
    classify()


def draw():
    py5.background(30)
    video.draw(0, 0, 640, 480)
    ui.draw()
    counts = knn.get_count_by_label()
    py5.fill(255)
    py5.text_size(16)
    for i, label in enumerate(LABELS):
        confidence = result["confidencesByLabel"].get(label, 0) if result else 0
        py5.text(f"{label}: {counts.get(label, 0)} examples, {confidence:.0%}", 10, 550 + 24 * i)
    py5.text_size(32)
    py5.text(result["label"] if result else status, 10, 40)


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def key_pressed():
    ui.key_pressed(py5.key)


async def demo():  # the clicks a person would make
    while not feature_extractor.is_ready:
        await py5ml.next_frame()
    for label, holding in (("Rock", True), ("Paper", False)):
        video.holding = holding
        for _ in range(8):
            add_example(label)
            await py5ml.next_frame()
    video.holding = True
    classify()
    for _ in range(15):
        await py5ml.next_frame()
    print(f"demo label={result['label']} counts={knn.get_count_by_label()}")
    py5ml.finish_after(py5.frame_count + 2, args.screenshot)


py5.run_sketch()
