"""Module mode: ``import py5`` + ``py5.run_sketch()``. A task counts frames next to a short fit."""

import py5

import py5ml
from faults_common import tiny_classifier, tiny_data

args = py5ml.parse_sketch_args()
counted = 0


async def count_frames():
    global counted
    while True:
        counted += 1
        await py5ml.next_frame()


async def train():
    x, y = tiny_data()
    history = await py5ml.fit(tiny_classifier(), x, y, epochs=3, batch_size=32)
    return history.history["loss"][-1]


def setup():
    global counter, trainer
    py5.size(160, 100)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    counter = py5ml.start_task(count_frames())
    trainer = py5ml.start_task(train())


def draw():
    py5.background(40)


def report():
    print(f"mode=module frame_count={py5.frame_count} counted={counted} "
          f"fit_done={trainer.is_done} fit_loss={trainer.result}", flush=True)


py5.run_sketch()
