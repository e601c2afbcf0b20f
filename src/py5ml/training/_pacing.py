"""When a training loop hands the frame back to ``draw()``: the ``yield_every`` policy.

- ``"batch"``: one batch per frame, the lesson's ``await tf.nextFrame()`` in ``onBatchEnd``.
- ``"auto"``: as many batches as fit in the frame's spare time (see ``FrameBudget``).
- ``"epoch"``: one epoch per frame.
- a number: train for that many milliseconds, then yield.

A frame that already passed inside a callback (an async ``on_batch_end`` that awaited
``next_frame()``) counts, so the lesson's callback never costs two frames per batch.
"""

import asyncio
import time

from .._checks import quote
from .._errors import DataError
from ..clock._scheduler import _by_loop, next_frame

__all__ = ["Pacer"]

_PLAIN_ASYNCIO_SLICE = 0.05  # outside a sketch, "auto" lets other asyncio tasks in every 50 ms


class Pacer:
    """Decides, after each batch or epoch, whether to ``await next_frame()``."""

    def __init__(self, yield_every="auto"):
        self.mode, self.slice_s = _parse(yield_every)
        self.scheduler = _by_loop.get(asyncio.get_running_loop())
        self.batch_s = 0.0  # running estimate of one batch's cost, callbacks included
        self._mark = self._frame()
        self._slice_start = time.perf_counter()

    def _frame(self):
        return self.scheduler.frame_count if self.scheduler else None

    def _frame_passed(self) -> bool:
        return self.scheduler is not None and self.scheduler.frame_count != self._mark

    async def _yield(self):
        if self.scheduler is None and self.mode == "auto":
            await asyncio.sleep(0)
        else:
            await next_frame()
        self._restart()

    def _restart(self):
        self._mark = self._frame()
        self._slice_start = time.perf_counter()

    async def after_batch(self, batch_started: float) -> None:
        now = time.perf_counter()
        self.batch_s = 0.8 * self.batch_s + 0.2 * (now - batch_started) if self.batch_s else now - batch_started
        if self._frame_passed():
            self._restart()  # a callback already gave draw() its frame
            return
        if self.mode == "batch" or (self.mode == "ms" and now - self._slice_start >= self.slice_s):
            await self._yield()
        elif self.mode == "auto" and self._out_of_time(now):
            await self._yield()

    async def after_epoch(self) -> None:
        if self.mode == "epoch" and not self._frame_passed():
            await self._yield()
        elif self._frame_passed():
            self._restart()

    def _out_of_time(self, now) -> bool:
        if self.scheduler is None:
            return now - self._slice_start >= _PLAIN_ASYNCIO_SLICE
        return self.scheduler.time_left() < self.batch_s


def _parse(yield_every):
    if yield_every in ("auto", "batch", "epoch"):
        return yield_every, None
    if isinstance(yield_every, (int, float)) and not isinstance(yield_every, bool) and yield_every > 0:
        return "ms", yield_every / 1000
    raise DataError(
        f'yield_every must be "auto", "batch", "epoch" or a number of milliseconds like 8, got {quote(yield_every)}.'
    )
