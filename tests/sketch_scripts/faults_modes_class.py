"""Class mode: ``class S(py5.Sketch)`` + ``s.run_sketch()``. A task counts frames next to a short fit."""

import py5

import py5ml
from faults_common import tiny_classifier, tiny_data

args = py5ml.parse_sketch_args()


class FrameCounter(py5.Sketch):
    def settings(self):
        self.size(160, 100)

    def setup(self):
        self.counted = 0
        py5ml.finish_after(args.frames, args.screenshot, sketch=self, on_finish=self.report)
        self.counter = py5ml.start_task(self.count_frames())
        self.trainer = py5ml.start_task(self.train())

    async def count_frames(self):
        while True:
            self.counted += 1
            await py5ml.next_frame()

    async def train(self):
        x, y = tiny_data()
        history = await py5ml.fit(tiny_classifier(), x, y, epochs=3, batch_size=32)
        return history.history["loss"][-1]

    def draw(self):
        self.background(40)

    def report(self):
        print(f"mode=class frame_count={self.frame_count} counted={self.counted} "
              f"fit_done={self.trainer.is_done} fit_loss={self.trainer.result}", flush=True)


sketch = FrameCounter()
sketch.run_sketch()
