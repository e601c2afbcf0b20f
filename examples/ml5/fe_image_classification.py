"""ml5's FeatureExtractor_Image_Classification, in py5: teach MobileNet two new labels from a video.

Add a few frames of each label with the buttons, press Train (the loss is printed as it falls),
and from then on every frame is classified, results arriving the ml5 0.x way: (error, results).

    python examples/ml5/fe_image_classification.py --weights mobilenet_v1_0.25/   # ml5's MobileNet files
    python examples/ml5/fe_image_classification.py --demo                           # drives itself
"""

import asyncio

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, video:PATH or synthetic")
    parser.add_argument("--weights", default="DEFAULT", help="ml5's MobileNet v1 folder (default: download)")
    parser.add_argument("--demo", action="store_true", help="add examples, train and classify by itself")


args = py5ml.parse_sketch_args("ml5 FeatureExtractor image classification", add_arguments=add_flags)
ui = py5ml.UI()
label = "model loading..."
loss_text = ""


def setup():
    global video, feature_extractor, classifier
    py5.size(640, 560)
    video = py5ml.Capture("synthetic" if args.demo else args.source)
    # ml5.featureExtractor('MobileNet', options, modelReady), options in snake_case
    feature_extractor = py5ml.feature_extractor("MobileNet", model_ready, version=1, weights=args.weights,
                                                num_labels=2, epochs=20)
    classifier = feature_extractor.classification(video, video_ready)
    ui.add(py5ml.Button("Add balloon", 10, 490, 150, 34, key="1", on_click=lambda: classifier.add_image("balloon")))
    ui.add(py5ml.Button("Add no balloon", 170, 490, 150, 34, key="2", on_click=lambda: classifier.add_image("none")))
    ui.add(py5ml.Button("Train", 330, 490, 140, 34, key="t", on_click=lambda: classifier.train(while_training)))
    if args.demo:
        py5ml.start_task(demo())
    py5ml.finish_after(args.frames, args.screenshot)


def model_ready():
    global label
    label = "model ready"


def video_ready():
    print("video ready")


def while_training(loss):
    global loss_text
    if loss is None:
        loss_text = "training complete"
        classifier.classify(got_results)
    else:
        loss_text = f"loss: {loss:.4f}"


def got_results(error, results):
    global label
    if error:
        print(error)
        return
    label = f"{results[0]['label']} {results[0]['confidence']:.2f}"
    classifier.classify(got_results)


def draw():
    py5.background(30)
    video.draw(0, 0, 640, 480)
    ui.draw()
    py5.fill(255)
    py5.text_size(16)
    py5.text(loss_text, 490, 512)
    py5.text_size(32)
    py5.text(label, 10, 40)


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def key_pressed():
    ui.key_pressed(py5.key)


async def demo():  # the clicks a person would make
    while not feature_extractor.is_ready:
        await py5ml.next_frame()
    for _ in range(12):  # take turns, so both labels see the figure all over the picture
        for name, holding in (("balloon", True), ("none", False)):
            video.holding = holding
            await asyncio.sleep(0.2)  # let the camera show the change
            await classifier.add_image_async(name)
    video.holding = True
    await classifier.train_async(while_training)
    for _ in range(20):  # a few results from the got_results loop
        await py5ml.next_frame()
    print(f"demo label={label}")
    py5ml.finish_after(py5.frame_count + 2, args.screenshot)


py5.run_sketch()
