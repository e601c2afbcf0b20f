"""Color Classifier with a raw torch model and py5ml.fit: TF.js 7.11 "animating loss", line by line.

The lesson's code, in Python:

    model = tf.sequential(); model.add(tf.layers.dense({units: 16, activation: 'sigmoid', inputShape: [3]}))
    model.add(tf.layers.dense({units: 9, activation: 'softmax'}))
    model.compile({optimizer: tf.train.sgd(0.25), loss: 'categoricalCrossentropy'})
    await model.fit(xs, ys, {shuffle: true, validationSplit: 0.1, epochs: 10,
                             callbacks: {onBatchEnd: async (batch, logs) => { lossP.html(logs.loss); await tf.nextFrame(); }}})

Here each batch ends with ``await py5ml.next_frame()``, so exactly one batch trains per frame
and the sweeping line never freezes (sketches/color_classifier/ shows the NeuralNetwork way).

    python examples/color_classifier_raw.py --data ../shared/data/colorData.json --epochs 2
"""

import py5ml
import py5
import torch


args = py5ml.parse_sketch_args(
    "Color classifier, raw torch + fit",
    add_arguments=lambda p: (p.add_argument("--data"), p.add_argument("--epochs", type=int, default=10)),
)

colors = py5ml.load_color_data(args.data)
xs = torch.tensor(colors.rgb / 255, dtype=torch.float32)  # r/255, g/255, b/255
ys = torch.tensor(colors.one_hot())  # one-hot rows, 9 labels

model = torch.nn.Sequential(
    torch.nn.Linear(3, 16), torch.nn.Sigmoid(),  # hidden: 16 units, sigmoid
    torch.nn.Linear(16, 9), torch.nn.Softmax(dim=1),  # output: 9 labels, softmax
)
loss_text = "loss: waiting"
graph = py5ml.LossGraph(60, 60, 480, 200)


async def on_batch_end(batch, logs):
    global loss_text
    loss_text = f"loss: {logs['loss']:.5f}"
    await py5ml.next_frame()  # tf.nextFrame(): let draw() run after every batch


def on_epoch_end(epoch, logs):
    print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}  val_loss {logs['val_loss']:.4f}  val_acc {logs['val_acc']:.4f}")


async def train():
    history = await py5ml.fit(
        model, xs, ys, epochs=args.epochs, batch_size=32, shuffle=True, validation_split=0.1,
        optimizer="sgd", learning_rate=0.25, loss="categorical_crossentropy",
        callbacks=[graph, py5ml.LambdaCallback(on_batch_end=on_batch_end, on_epoch_end=on_epoch_end)],
    )
    print(f"val_acc={history.history['val_acc'][-1]:.4f} val_loss={history.history['val_loss'][-1]:.4f}")
    return history


def setup():
    global training
    py5.size(600, 320)
    training = py5ml.start_task(train())
    py5ml.finish_after(args.frames, args.screenshot)


def draw():
    py5.background(0)
    py5.stroke(255)
    py5.stroke_weight(4)
    x = py5.frame_count % py5.width  # the lesson's line, sweeping while the model trains
    py5.line(x, 0, x, py5.height)
    graph.draw()
    py5.fill(255)
    py5.text_size(16)
    py5.text(loss_text if training.is_running else "trained!", 20, py5.height - 20)


py5.run_sketch()
