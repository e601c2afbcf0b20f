"""The sketch ``training_throughput.py`` measures: the color classifier's training screen."""

import time

import py5ml
import py5


class TrainingSketch(py5.Sketch):
    """A sweeping line and a live loss graph, drawn every frame while ``fit`` trains."""

    def __init__(self, xs, ys, epochs, yield_every, make_model):
        super().__init__()
        self.xs, self.ys, self.epochs, self.yield_every = xs, ys, epochs, yield_every
        self.make_model = make_model
        self.graph = py5ml.LossGraph(60, 60, 480, 200)
        self.intervals, self.last_draw = [], None
        self.batches, self.train_s = 0, None

    def settings(self):
        self.size(640, 360)

    def setup(self):
        self.task = py5ml.start_task(self.train())

    async def train(self):
        await py5ml.next_frame()  # start on a frame boundary, like a sketch would
        counter = py5ml.LambdaCallback(on_batch_end=self.count)
        start = time.perf_counter()
        await py5ml.fit(self.make_model(), self.xs, self.ys, epochs=self.epochs, batch_size=32, shuffle=True,
                        optimizer="sgd", learning_rate=0.25, callbacks=[self.graph, counter],
                        yield_every=self.yield_every)
        self.train_s = time.perf_counter() - start

    def count(self, batch, logs):
        self.batches += 1

    def draw(self):
        now = time.perf_counter()
        if self.last_draw is not None and self.task.is_running:
            self.intervals.append(now - self.last_draw)
        self.last_draw = now
        self.background(40, 90, 140)
        x = self.frame_count * 4 % self.width
        self.stroke(255)
        self.line(x, 0, x, self.height)
        self.graph.draw(self)
        if self.task.is_done:
            self.exit_sketch()
