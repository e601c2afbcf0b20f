"""The sketch exits (--frames) while long trainings run: the process ends promptly and cleanly.

Two trainings run at once with --yield-every (auto: batches on background threads; batch: one
batch per frame on the draw thread): a raw py5ml.fit inside a task whose ``finally`` prints, and
a NeuralNetwork.train. After run_sketch() returns it prints whether training threads are left.
"""

import threading

import py5

import py5ml
from faults_common import tiny_classifier, tiny_data

args = py5ml.parse_sketch_args(add_arguments=lambda p: p.add_argument("--yield-every", default="auto"))
batches = 0


def count(batch, logs):
    global batches
    batches += 1


async def train():
    x, y = tiny_data(2048)
    try:
        await py5ml.fit(tiny_classifier(), x, y, epochs=100_000, batch_size=8, yield_every=args.yield_every,
                        callbacks=[py5ml.LambdaCallback(on_batch_end=count)])
    finally:
        print(f"finally ran after {batches} batches", flush=True)


def setup():
    global task, nn
    py5.size(200, 120)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    task = py5ml.start_task(train())
    nn = py5ml.NeuralNetwork(inputs=3, outputs=["a", "b", "c"], seed=0)
    x, y = tiny_data(1024, seed=1)
    for row, label in zip(x, y.argmax(axis=1)):
        nn.add_data(list(row), "abc"[label])
    nn.train(epochs=100_000, batch_size=8, yield_every=args.yield_every)


def draw():
    py5.background(40)
    py5.fill(0, 0, 255)
    py5.rect(py5.frame_count * 3 % py5.width, 80, 20, 20)


def report():
    print(f"frame_count={py5.frame_count} task_running={task.is_running} nn_training={nn.is_training}", flush=True)


py5.run_sketch()

for thread in threading.enumerate():
    if thread.name == "py5ml-training":
        thread.join(timeout=2)
alive = [t.name for t in threading.enumerate() if t.name == "py5ml-training" and t.is_alive()]
print(f"after run_sketch: task_cancelled={task.is_cancelled} nn_training={nn.is_training} "
      f"training_threads_alive={len(alive)}", flush=True)
