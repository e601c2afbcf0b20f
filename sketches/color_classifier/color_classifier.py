"""Color Classifier: the Coding Train's TensorFlow.js lesson 7.11-7.12, in py5 + py5ml.

A crowd of people labelled thousands of colors ("red-ish", "blue-ish", ...). A tiny network
(3 inputs -> 16 sigmoid -> 9 softmax) learns from them while the sketch keeps animating:
a line sweeps the canvas and the loss graph grows. Then move the R, G, B sliders and the
network names the color.

    python sketches/color_classifier/color_classifier.py                 # train, then play
    python sketches/color_classifier/color_classifier.py --data colorData.json --epochs 10 --save model_dir
    python sketches/color_classifier/color_classifier.py --load model_dir/model.json

Keys: t = train again, s = save, l = load.
"""

import math

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--data", help="a colorData.json file (default: cached/downloaded, else offline colors)")
    parser.add_argument("--epochs", type=int, help="training epochs (default 10, as in the lesson; more for the smaller offline colors)")
    parser.add_argument("--save", metavar="DIR", help="when training ends, save DIR/model.json + DIR/model.weights.bin")
    parser.add_argument("--load", metavar="PATH", help="start from a saved model.json, no training")
    parser.add_argument("--yield-every", default="auto", help='"auto", "batch" (one batch per frame, like the video), "epoch" or milliseconds')


args = py5ml.parse_sketch_args("py5ml color classifier", add_arguments=add_flags)
model_dir = args.save or "color_model"


def prepare():
    """The data and the network, made on the loading thread while the window is already up."""
    data = py5ml.load_color_data(args.data)
    print(f"data: {data.source}")
    network = py5ml.NeuralNetwork(inputs=["r", "g", "b"], outputs=list(py5ml.COLOR_LABELS),
                                  hidden_units=16, activation="sigmoid", optimizer="sgd", learning_rate=0.25)
    for rgb, label in zip(data.rgb, data.labels):
        network.add_data(rgb, label)
    network.normalize_data(0, 255)  # r/255, g/255, b/255, as in the lesson
    return data, network


loading = py5ml.preload("network", then=prepare)  # torch loads while the window opens

colors = None  # the data set
nn = None  # the neural network
graph = py5ml.LossGraph(384, 48, 232, 130, title="loss")
ui = py5ml.UI()
status = ""
is_started = False  # start() ran
epoch_text = ""


def setup():
    global r_slider, g_slider, b_slider
    py5.size(640, 480)
    py5.text_font(py5.create_font("DejaVu Sans", 14))
    r_slider = ui.add(py5ml.Slider("R", 24, 318, 260, value=230, color=(255, 70, 70)))
    g_slider = ui.add(py5ml.Slider("G", 24, 362, 260, value=120, color=(70, 220, 70)))
    b_slider = ui.add(py5ml.Slider("B", 24, 406, 260, value=40, color=(80, 120, 255)))
    ui.add(py5ml.Button("Train", 330, 380, 92, 34, key="t", on_click=train))
    ui.add(py5ml.Button("Save", 428, 380, 92, 34, key="s", on_click=save))
    ui.add(py5ml.Button("Load", 526, 380, 92, 34, key="l", on_click=load))


def start():
    """Runs once, on the first frame after loading: train (or load) and start counting --frames."""
    global colors, nn, is_started
    is_started = True
    if loading.error is not None:  # shown in the status line; --frames still ends the sketch
        py5ml.finish_after(None if args.frames is None else py5.frame_count + args.frames, args.screenshot)
        return
    colors, nn = loading.result
    if args.epochs is None:  # the lesson's 10 epochs are ~1,600 batches; give smaller data as many
        args.epochs = 10 if not colors.is_fallback else math.ceil(1600 / math.ceil(0.9 * len(colors) / 32))
    if args.load:
        load(args.load)
    else:
        train()
    frames = None if args.frames is None else py5.frame_count + args.frames  # --frames counts from here
    py5ml.finish_after(frames, args.screenshot, on_finish=report)


def train():
    global status
    if nn is None:
        return
    yield_every = float(args.yield_every) if args.yield_every[0].isdigit() else args.yield_every
    nn.train(epochs=args.epochs, batch_size=32, validation_split=0.1, shuffle=True,
             callbacks=[graph], while_training=while_training, when_done=training_done, yield_every=yield_every)
    status = "training..."


def while_training(epoch, logs):
    global epoch_text
    epoch_text = f"epoch {epoch + 1}/{args.epochs}  val_acc {logs['val_acc']:.3f}"


def training_done(history):
    global status
    logs = {k: v[-1] for k, v in history.history.items()}
    print(f"val_acc={logs['val_acc']:.4f} val_loss={logs['val_loss']:.4f}", flush=True)
    status = "trained: move the sliders"
    if args.save:
        write_model()


def save():
    global status
    if nn is None or nn.model is None or nn.is_training:
        status = "train first, then save"
        return
    write_model()


def write_model():
    global status
    path = nn.save(model_dir)
    status = f"saved {path.parent.name}/{path.name}"
    print(f"saved {path}")


def load(path=None):
    global status
    if nn is None:
        return
    path = path or f"{model_dir}/model.json"
    try:
        nn.load(path)
        status = f"loaded {path}"
    except py5ml.Py5mlError as e:
        status = f"could not load: {e}"
    print(status)


def report():
    """On exit after --frames: print what the network says about the slider color."""
    if nn is not None and nn.model is not None:
        best = nn.classify([r_slider.value, g_slider.value, b_slider.value])[0]
        print(f"label={best['label']} confidence={best['confidence']:.6f}", flush=True)


def draw():
    r, g, b = r_slider.value, g_slider.value, b_slider.value
    py5.background(r, g, b)
    if not is_started and loading.is_done:
        start()
    if nn is None or nn.is_training:  # the lesson's sweeping line: proof the sketch never freezes
        x = py5.frame_count * 4 % py5.width
        py5.stroke(255, 255, 255, 160)
        py5.stroke_weight(3)
        py5.line(x, 0, x, py5.height)
    graph.draw()
    draw_label(r, g, b)
    ui.draw()
    draw_status()


def draw_label(r, g, b):
    py5.no_stroke()
    py5.fill(0, 0, 0, 150)
    py5.rect(16, 16, 300, 112, 10)
    py5.fill(255)
    py5.text_align(py5.LEFT, py5.TOP)
    if nn is None or nn.model is None:
        py5.text_size(28)
        py5.text("loading..." if nn is None else "waiting for a model", 30, 30)
        return
    best = nn.classify([r, g, b])[0]
    py5.text_size(44)
    py5.text(best["label"], 30, 24)
    py5.text_size(16)
    py5.text(f"confidence {best['confidence']:.0%}   rgb({r}, {g}, {b})", 32, 84)


def draw_status():
    py5.no_stroke()
    py5.fill(0, 0, 0, 190)
    py5.rect(0, py5.height - 26, py5.width, 26)
    py5.fill(230)
    py5.text_size(12)
    py5.text_align(py5.LEFT, py5.CENTER)
    if colors is None:  # still loading: "loading torch…", or what went wrong
        py5.text(loading.status, 10, py5.height - 13)
        return
    source = "OFFLINE: XKCD colors" if colors.is_fallback else colors.source
    py5.text(f"{status}  {epoch_text}   |   {source}", 10, py5.height - 13)


def mouse_pressed():
    ui.mouse_pressed(py5.mouse_x, py5.mouse_y)


def mouse_dragged():
    ui.mouse_dragged(py5.mouse_x, py5.mouse_y)


def mouse_released():
    ui.mouse_released()


def key_pressed():
    ui.key_pressed(py5.key)


py5.run_sketch()
