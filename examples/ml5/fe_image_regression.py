"""ml5's FeatureExtractor_Image_Regression, in py5: teach MobileNet a number instead of a label.

Set the slider, add frames with that value, train; then the prediction moves the orange marker
on the slider's track (results are ``{"value": ...}``, as in ml5).

    python examples/ml5/fe_image_regression.py --weights mobilenet_v1_0.25/   # ml5's MobileNet files
    python examples/ml5/fe_image_regression.py --demo                           # drives itself
"""

import asyncio

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, video:PATH or synthetic")
    parser.add_argument("--weights", default="DEFAULT", help="ml5's MobileNet v1 folder (default: download)")
    parser.add_argument("--demo", action="store_true", help="add examples, train and predict by itself")


args = py5ml.parse_sketch_args("ml5 FeatureExtractor image regression", add_arguments=add_flags)
ui = py5ml.UI()
value = None  # the latest prediction
predictions = 0  # how many have come back
is_predicting = True
status = "model loading..."


def setup():
    global video, predictor, slider
    py5.size(640, 600)
    video = py5ml.Capture("synthetic" if args.demo else args.source)
    feature_extractor = py5ml.feature_extractor("MobileNet", model_ready, version=1, weights=args.weights)
    predictor = feature_extractor.regression(video, epochs=50, learning_rate=0.0001)  # ml5 0.x's rate
    slider = ui.add(py5ml.Slider("value", 10, 490, 620, low=0, high=1, value=0.5, step=0.01))
    ui.add(py5ml.Button("Add sample", 10, 550, 150, 34, key="a", on_click=lambda: predictor.add_image(slider.value)))
    ui.add(py5ml.Button("Train", 170, 550, 150, 34, key="t", on_click=lambda: predictor.train(while_training)))
    if args.demo:
        py5ml.start_task(demo())
    py5ml.finish_after(args.frames, args.screenshot)


def model_ready():
    global status
    status = "model ready"


def while_training(loss):
    global status
    if loss is None:
        status = "training complete"
        predictor.predict(got_results)
    else:
        status = f"loss: {loss:.4f}"


def got_results(error, result):
    global value, predictions
    if error:
        print(error)
        return
    value, predictions = result["value"], predictions + 1
    if is_predicting:
        predictor.predict(got_results)


def draw():
    py5.background(30)
    video.draw(0, 0, 640, 480)
    ui.draw()
    if value is not None:  # the prediction, as a marker on the slider's track
        py5.fill(255, 150, 0)
        py5.no_stroke()
        x = 10 + 620 * min(max(value, 0), 1)
        py5.triangle(x - 10, 480, x + 10, 480, x, 496)
        py5.text_size(28)
        py5.text(f"{value:.2f}", 540, 40)
    py5.fill(255)
    py5.text_size(16)
    py5.text(status, 340, 572)


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_dragged():
    ui.mouse_dragged(py5.mouse_x, py5.mouse_y)


def key_pressed():
    ui.key_pressed(py5.key)


async def demo():  # the slider moves and clicks a person would make
    global is_predicting
    while not predictor.extractor.is_ready:
        await py5ml.next_frame()
    for _ in range(12):  # take turns, so both values see the figure all over the picture
        for slider.value, holding in ((0.9, True), (0.1, False)):  # balloon: 0.9, none: 0.1
            video.holding = holding
            await asyncio.sleep(0.2)  # let the camera show the change
            await predictor.add_image_async(slider.value)
    video.holding = True
    await predictor.train_async(while_training)
    for _ in range(20):
        await py5ml.next_frame()
    is_predicting = False  # hold the last prediction still for the screenshot:
    landed = predictions
    while predictions == landed:  # the one already on its way lands, and no other is asked for
        await py5ml.next_frame()
    print(f"demo value={value:.3f}")
    py5ml.finish_after(py5.frame_count + 2, args.screenshot)


py5.run_sketch()
