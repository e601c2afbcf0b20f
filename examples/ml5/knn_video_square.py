"""ml5's KNNClassification_VideoSquare, in py5: steer a square with what the camera sees.

Add examples for Left, Right and Stay (keys 1, 2, 3); the KNN classifier starts at once and the
square moves the way the nearest examples say, every frame.

    python examples/ml5/knn_video_square.py --weights mobilenet_v1_0.25/   # ml5's MobileNet files
    python examples/ml5/knn_video_square.py --demo                           # drives itself
"""

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, video:PATH or synthetic")
    parser.add_argument("--weights", default="DEFAULT", help="ml5's MobileNet v1 folder (default: download)")
    parser.add_argument("--demo", action="store_true", help="add examples and steer by itself")


args = py5ml.parse_sketch_args("ml5 KNN classification: steer a square", add_arguments=add_flags)
KEYS = {"1": "Left", "2": "Right", "3": "Stay"}
knn = py5ml.KNNClassifier()
label = "add examples: 1 = Left, 2 = Right, 3 = Stay"
x = 320  # the square's position


def setup():
    global video, feature_extractor
    py5.size(640, 560)
    video = py5ml.Capture("synthetic" if args.demo else args.source)
    feature_extractor = py5ml.feature_extractor("MobileNet", version=1, weights=args.weights)
    if args.demo:
        py5ml.start_task(demo())
    py5ml.finish_after(args.frames, args.screenshot)


def key_pressed():
    if py5.key in KEYS and feature_extractor.is_ready:
        add_example(KEYS[py5.key])


def add_example(name):
    knn.add_example(feature_extractor.infer(video), name)
    if knn.get_num_labels() == 1 and sum(knn.get_count().values()) == 1:
        classify()  # the first example starts the loop


def classify():
    knn.classify(feature_extractor.infer(video), got_results)


def got_results(error, result):
    global label, x
    if error:
        print(error)
        return
    label = result["label"]
    if label == "Left":
        x = max(x - 4, 20)
    elif label == "Right":
        x = min(x + 4, 620)
    classify()


def draw():
    py5.background(30)
    py5.tint(255, 120)  # the video, faded behind the square
    video.draw(0, 0, 640, 480)
    py5.no_tint()
    py5.fill(255, 0, 200)
    py5.no_stroke()
    py5.rect_mode(py5.CENTER)
    py5.rect(x, 240, 40, 40)
    py5.rect_mode(py5.CORNER)
    py5.fill(255)
    py5.text_size(22)
    py5.text(label, 10, 520)


async def demo():  # the key presses a person would make
    while not feature_extractor.is_ready:
        await py5ml.next_frame()
    for name, holding in (("Right", True), ("Stay", False)):
        video.holding = holding
        for _ in range(8):
            add_example(name)
            await py5ml.next_frame()
    video.holding = True  # the balloon says "Right"
    for _ in range(40):
        await py5ml.next_frame()
    print(f"demo label={label} x={x}")
    py5ml.finish_after(py5.frame_count + 2, args.screenshot)


py5.run_sketch()
