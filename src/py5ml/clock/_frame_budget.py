"""How much of each frame background work may use without dropping the frame rate.

A frame at 60 fps lasts 16.7 ms. ``draw()`` needs some of it, py5 needs a little more to put the
picture on screen, and the rest is spare. ``FrameBudget`` watches how long ``draw()`` takes and
whether frames arrive late, and hands out the spare time as a deadline. It backs off quickly
when a frame is late and creeps back slowly, like a driver easing off the gas.

Background training (``yield_every="auto"`` in a sketch) gets a *share* of the gap between
``draw()`` and the next frame. A late frame halves that share at once; each frame on time gives
back a little. On a busy machine, where py5's renderer, Xvfb and a neighbour fight over the cores,
training steps aside as soon as it costs frames.
"""

import time
from collections import deque
from .._checks import check_number

__all__ = ["FrameBudget"]

_LATE = 1.2  # a frame 20% past its time (20 ms at 60 fps) is late
_MIN_SHARE, _SHARE_STEP = 1 / 8, 0.05  # halve down to 1/8; win back 5% a frame on time
_MIN_WINDOW = 0.004  # a frame that overran still leaves training a little room (at least a batch)


class FrameBudget:
    """The spare time in each frame, measured and adapted as the sketch runs.

    Args:
        fps: the frame rate to hold (py5's default is 60).
        min_margin_ms: time always left unused, for py5's own work and the operating system.
    """

    def __init__(self, fps: float = 60.0, min_margin_ms: float = 1.5):
        self.fps = check_number(fps, "fps", low=0, low_open=True, high=1000)
        self.min_margin = check_number(min_margin_ms, "min_margin_ms", low=0, high=1000) / 1000
        self.margin = 3 * self.min_margin
        self.last_interval = None
        self.mean_interval = None  # smoothed: Processing evens out single late frames by itself
        self._draw_times = deque([0.002], maxlen=30)
        self._draw_p90 = 0.002
        self._frame_start = None
        self._deadline = 0.0
        self._tasks_end = None
        self.share = 1.0  # of the gap after draw() that background training may use

    @property
    def period(self) -> float:
        return 1.0 / self.fps

    def start_frame(self, now: float | None = None) -> None:
        """A new frame begins: adapt to how the last one went and set this frame's deadline."""
        now = time.perf_counter() if now is None else now
        if self._frame_start is not None:
            self.last_interval = now - self._frame_start
            self._adapt(self.last_interval)
        self._frame_start = now
        spare = self.period - self._draw_p90 - self.margin
        self._deadline = now + max(spare, 0.0) * self.share  # training on the draw thread backs off too

    def end_tasks(self) -> None:
        """Tasks have had their turn; ``draw()`` starts now."""
        self._tasks_end = time.perf_counter()

    def end_draw(self) -> None:
        """``draw()`` finished: remember how long it took."""
        if self._tasks_end is None:
            return
        self._draw_times.append(time.perf_counter() - self._tasks_end)
        self._tasks_end = None
        ordered = sorted(self._draw_times)
        self._draw_p90 = ordered[int(0.9 * (len(ordered) - 1))]

    def time_left(self) -> float:
        """Seconds until this frame's deadline (negative when past it)."""
        return self._deadline - time.perf_counter()

    def training_deadline(self, now: float | None = None) -> float | None:
        """When background work must stop for this frame: ``share`` of the time left until the
        next frame is due. ``None`` before the first frame (no clock to go by yet)."""
        if self._frame_start is None:
            return None
        now = time.perf_counter() if now is None else now
        return now + self.share * max(self._frame_start + self.period - now, _MIN_WINDOW)

    def _adapt_share(self, interval: float) -> None:
        expected = max(self.period, self._draw_p90 + self.min_margin)  # a slow draw() sets its own pace
        if interval > expected * _LATE:
            self.share = max(self.share / 2, _MIN_SHARE)
        else:
            self.share = min(self.share + _SHARE_STEP, 1.0)

    def _adapt(self, interval: float) -> None:
        self._adapt_share(interval)
        mean = interval if self.mean_interval is None else 0.9 * self.mean_interval + 0.1 * interval
        self.mean_interval = mean
        if interval > self.period * 1.5 or mean > self.period * 1.015:  # a dropped frame, or falling behind
            self.margin = min(self.margin + 0.0005, self.period * 0.8)
        elif mean < self.period * 1.005:
            self.margin = max(self.margin - 0.00002, self.min_margin)
