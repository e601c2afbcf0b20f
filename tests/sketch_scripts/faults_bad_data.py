"""Unusable data gives a clear DataError before any training happens; the sketch goes on.

    --case empty | single | width        NeuralNetwork: no examples, one label, 3 then 4 inputs
    --case fit-empty | fit-lengths | fit-width   py5ml.fit: no rows, x/y lengths differ, 4 inputs for 3

NeuralNetwork cases raise at add_data()/train() in setup(); fit cases fail the task as fit
starts. A callback counts on_train_begin and batches, to prove none ran.
"""

import numpy as np
import py5

import py5ml
from faults_common import draw_alive, error_text, tiny_classifier, tiny_data

CASES = ["empty", "single", "width", "fit-empty", "fit-lengths", "fit-width"]
args = py5ml.parse_sketch_args(add_arguments=lambda p: p.add_argument("--case", choices=CASES))
events = {"on_train_begin": 0, "on_batch_end": 0}
counter = py5ml.LambdaCallback(on_train_begin=lambda logs: count("on_train_begin"),
                               on_batch_end=lambda batch, logs: count("on_batch_end"))
setup_error = None
task = None


def count(event):
    events[event] += 1


def fill_network(nn):
    if args.case == "single":
        for i in range(20):
            nn.add_data([i, i, i], "only-label")
    elif args.case == "width":
        nn.add_data([1, 2, 3], "a")
        nn.add_data([1, 2, 3, 4], "b")


async def fit_bad():
    x, y = tiny_data()
    if args.case == "fit-empty":
        x, y = np.zeros((0, 3), np.float32), np.zeros((0, 3), np.float32)
    elif args.case == "fit-lengths":
        y = y[:-5]
    else:
        x = np.hstack([x, x[:, :1]])
    await py5ml.fit(tiny_classifier(), x, y, epochs=5, callbacks=[counter])


def setup():
    global task, setup_error
    py5.size(200, 120)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    if args.case.startswith("fit-"):
        task = py5ml.start_task(fit_bad())
        return
    nn = py5ml.NeuralNetwork(inputs=3, seed=0)
    try:
        fill_network(nn)
        task = nn.train(epochs=5, callbacks=[counter])
    except py5ml.DataError as e:
        setup_error = e
        print(f"setup_error={error_text(e)}", flush=True)


def draw():
    draw_alive(setup_error or (task.exception if task is not None else None))


def report():
    print(f"frame_count={py5.frame_count}")
    print(f"task_exception={error_text(task.exception) if task else 'no task'}")
    print(f"train_begins={events['on_train_begin']} batches={events['on_batch_end']}", flush=True)


py5.run_sketch()
