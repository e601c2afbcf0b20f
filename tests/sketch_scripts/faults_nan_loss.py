"""The loss goes NaN (learning_rate=1e6): training stops with a TrainingError, the sketch goes on.

    --kind fit   py5ml.fit on a raw regression model, yield_every from --yield-every
    --kind nn    NeuralNetwork(task="regression", learning_rate=1e6).train()

At the end it prints frame_count, the task's error and how many batches ran.
"""

import py5

import py5ml
from faults_common import draw_alive, error_text, tiny_data, tiny_regressor


def add_flags(parser):
    parser.add_argument("--kind", choices=["fit", "nn"])
    parser.add_argument("--yield-every", default="auto")


args = py5ml.parse_sketch_args(add_arguments=add_flags)
batches = 0


def count(batch, logs):
    global batches
    batches += 1


async def train():
    x, _ = tiny_data()
    await py5ml.fit(tiny_regressor(), x, x.sum(axis=1, keepdims=True), epochs=500, batch_size=16,
                    loss="mean_squared_error", learning_rate=1e6, yield_every=args.yield_every,
                    callbacks=[py5ml.LambdaCallback(on_batch_end=count)])


def setup():
    global task
    py5.size(200, 120)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    if args.kind == "nn":
        nn = py5ml.NeuralNetwork(task="regression", inputs=3, outputs=1, optimizer="sgd", learning_rate=1e6, seed=0)
        x, _ = tiny_data()
        for row in x:
            nn.add_data(list(row), [float(row.sum())])
        task = nn.train(epochs=500, callbacks=[py5ml.LambdaCallback(on_batch_end=count)], yield_every=args.yield_every)
    else:
        task = py5ml.start_task(train())


def draw():
    draw_alive(task.exception)


def report():
    print(f"frame_count={py5.frame_count}")
    print(f"task_exception={error_text(task.exception)}")
    print(f"batches={batches}", flush=True)


py5.run_sketch()
