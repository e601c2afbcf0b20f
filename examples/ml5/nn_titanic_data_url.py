"""ml5's titanic, in py5: would a passenger have survived? Inputs can be words, not just numbers.

The data (1,308 passengers, ml5's titanic_cleaned.csv) loads from ``data_url``. Two inputs are
text ("first"/"second"/"third", "male"/"female"): the network one-hot encodes them by itself, as
ml5 does. Pick a passenger with the buttons and sliders; the answer updates as you change them.
``debug=True`` shows the training panel, with a confusion matrix once training ends.

    python examples/ml5/nn_titanic_data_url.py --data path/to/titanic_cleaned.csv
"""

import py5ml
import py5


args = py5ml.parse_sketch_args("ml5 titanic", add_arguments=lambda p: p.add_argument("--data", default="data/titanic_cleaned.csv"))
ui = py5ml.UI()
fare_classes, sexes = ["first", "second", "third"], ["female", "male"]
passenger = {"fare_class": "third", "sex": "male"}
prediction = "training..."
nn = None


def setup():
    global nn, age_slider, fare_slider
    py5.size(720, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    age_slider = ui.add(py5ml.Slider("age", 20, 230, 300, low=1, high=80, value=30))
    fare_slider = ui.add(py5ml.Slider("fare", 20, 280, 300, low=0, high=300, value=20))
    ui.add(py5ml.Button("class", 20, 120, 145, 36, key="c", on_click=lambda: next_value("fare_class", fare_classes)))
    ui.add(py5ml.Button("sex", 175, 120, 145, 36, key="s", on_click=lambda: next_value("sex", sexes)))
    options = {
        "data_url": args.data,
        "inputs": ["fare_class", "sex", "age", "fare"],
        "outputs": ["survived"],
        "task": "classification",
        "debug": True,
    }
    nn = py5ml.NeuralNetwork(options, model_ready)


def model_ready():
    nn.normalize_data()
    nn.train({"epochs": 50}, while_training, finished_training)


def while_training(epoch, logs):
    print(f"Epoch: {epoch} - loss: {logs['loss']:.2f}")


def finished_training():
    print("done!")
    classify()


def next_value(name, choices):
    passenger[name] = choices[(choices.index(passenger[name]) + 1) % len(choices)]
    classify()


def classify():
    if nn.model is not None:
        inputs = [passenger["fare_class"], passenger["sex"], age_slider.value, fare_slider.value]
        nn.classify(inputs, got_results)


def got_results(error, results):
    global prediction
    if error:
        print(error)
        return
    prediction = f"{results[0]['label']} ({results[0]['confidence']:.0%})"
    print(f"prediction: {prediction}")


def draw():
    py5.background(236, 240, 246)
    py5.fill(20)
    py5.text_size(16)
    py5.text_align(py5.LEFT, py5.TOP)
    py5.text(f"{passenger['fare_class']} class, {passenger['sex']}, age {age_slider.value}, "
             f"fare {fare_slider.value}", 20, 30)
    py5.text_size(28)
    py5.text(prediction, 20, 60)
    ui.draw()


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_dragged():
    ui.mouse_dragged(py5.mouse_x, py5.mouse_y)


def mouse_released():
    ui.mouse_released()
    classify()


def key_pressed():
    ui.key_pressed(py5.key)


py5.run_sketch()
