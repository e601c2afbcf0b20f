"""A user callback raises mid-training: reported once, and the sketch keeps drawing.

    --kind sync   a plain on_batch_end raises (batches run on the background thread, "auto")
    --kind async  an async on_batch_end raises after awaiting a frame (batches on the draw thread)
    --kind nn     NeuralNetwork.train's while_training raises at the end of the first epoch

draw() paints a red band with the error once the task has failed; at the end it prints
frame_count, the task's exception and how many frames were drawn after the failure.
"""

import py5

import py5ml
from faults_common import draw_alive, error_text, tiny_classifier, tiny_data

args = py5ml.parse_sketch_args(add_arguments=lambda p: p.add_argument("--kind", choices=["sync", "async", "nn"]))
batches = 0
failed_at = None  # the frame where draw() first saw the error


def on_batch_end(batch, logs):
    global batches
    batches += 1
    if batches == 3:
        raise ValueError("boom in on_batch_end")


async def on_batch_end_async(batch, logs):
    global batches
    batches += 1
    await py5ml.next_frame()
    if batches == 3:
        raise ValueError("boom in async on_batch_end")


def while_training(epoch, logs):
    raise ValueError(f"boom in while_training at epoch {epoch}")


async def train(callback):
    x, y = tiny_data()
    await py5ml.fit(tiny_classifier(), x, y, epochs=200, batch_size=16, learning_rate=0.5,
                    callbacks=[py5ml.LambdaCallback(on_batch_end=callback)])


def setup():
    global task
    py5.size(200, 120)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    if args.kind == "nn":
        nn = py5ml.NeuralNetwork(inputs=3, outputs=["a", "b", "c"], seed=0)
        x, y = tiny_data()
        for row, label in zip(x, y.argmax(axis=1)):
            nn.add_data(list(row), "abc"[label])
        task = nn.train(epochs=200, while_training=while_training)
    else:
        task = py5ml.start_task(train(on_batch_end if args.kind == "sync" else on_batch_end_async))


def draw():
    global failed_at
    if task.exception is not None:
        failed_at = failed_at or py5.frame_count
    draw_alive(task.exception, show_text=True)


def report():
    print(f"frame_count={py5.frame_count}")
    print(f"task_is_done={task.is_done}")
    print(f"task_exception={error_text(task.exception)}")
    print(f"frames_after_error={py5.frame_count - failed_at if failed_at else -1}", flush=True)


py5.run_sketch()
