"""Teachable Machine in py5: your own image model, classifying the camera live.

The Coding Train's "Teachable Machine 1: Image Classification", in Python. Train a model at
https://teachablemachine.withgoogle.com (Image Project), then Export Model, TensorFlow.js,
Download: you get a folder with model.json, weights.bin and metadata.json. Point this sketch at it:

    python sketches/teachable_machine/teachable_machine.py --model my_model/model.json
    python sketches/teachable_machine/teachable_machine.py --model my_model --source images:photos

The model runs off the draw thread, so the video never stutters; every result asks for the next,
like the video's classifyVideo() -> gotResult() loop. The bars show every class's confidence.
"""

import sys

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--model", metavar="PATH", help="your Teachable Machine export: its model.json or folder")
    parser.add_argument("--source", default="camera", help="camera, camera:N, video:PATH, images:DIR or synthetic")


args = py5ml.parse_sketch_args("py5ml + Teachable Machine: classify the camera", add_arguments=add_flags)

video = None
classifier = None
label = "loading model..."
results = []  # the latest results, most confident first
result_count = 0
message = ""


def setup():
    global video, classifier, message
    py5.size(640, 600)
    py5.text_font(py5.create_font("DejaVu Sans", 16))
    video = py5ml.Capture(args.source)
    if args.model is None:
        message = "No model yet: pass --model my_model/model.json (Teachable Machine, Export Model, TensorFlow.js)"
    else:
        # ml5: classifier = ml5.imageClassifier(imageModelURL + 'model.json', modelReady)
        classifier = py5ml.image_classifier(args.model, video, model_ready, on_error=show_error, top_k=20)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)


def model_ready():
    print(f"teachable_machine: model ready, labels {classifier.labels}")
    classify_video()


def classify_video():
    classifier.classify(got_result)


def got_result(error, new_results):  # ml5 0.x's (error, results), as in the video
    global label, results, result_count
    if error:
        show_error(error)
        return
    results, label = new_results, new_results[0]["label"]
    result_count += 1
    classify_video()  # and again, for as long as the sketch runs


def show_error(error):
    global message, label
    message, label = str(error), "no model"
    print(f"teachable_machine: {error}", file=sys.stderr)


def draw():
    py5.background(0)
    video.draw(0, 0, 640, 480)
    py5.fill(255)
    py5.text_size(32)
    py5.text_align(py5.CENTER)
    py5.text(label, 320, 528)
    py5.text_align(py5.LEFT)
    draw_bars()
    py5.fill(255, 220, 90)
    py5.text_size(14)
    py5.text(message, 10, 10, 620, 80)


def draw_bars():
    """One bar per class: how sure the model is, from 0 to 1."""
    py5.text_size(13)
    for i, result in enumerate(results[:4]):
        y = 548 + i * 13
        py5.fill(60)
        py5.rect(160, y - 10, 320, 10)
        py5.fill(90, 200, 120)
        py5.rect(160, y - 10, 320 * result["confidence"], 10)
        py5.fill(255)
        py5.text(f"{result['label']} {result['confidence']:.0%}", 490, y)


def report():
    if results:
        print(f"label={results[0]['label']} confidence={results[0]['confidence']:.3f} results={result_count}")


py5.run_sketch()
