"""Coroutines that run on a sketch's frame clock.

Think of the scheduler as a metronome for ``async def`` functions: every frame it ticks once,
wakes every task that said ``await next_frame()``, lets each run until its next ``await``, and
then hands the frame back to ``draw()``. So a training loop that awaits ``next_frame()`` between
batches never freezes the animation, exactly like ``await tf.nextFrame()`` in TensorFlow.js.

Under the hood it is a private asyncio event loop that is run for one short burst per frame, so
``asyncio.sleep``, ``asyncio.to_thread`` and ``asyncio.gather`` all work inside tasks. In a py5
sketch the burst happens in a pre-draw hook, so nobody has to call anything; without py5 (tests,
scripts) call ``get_scheduler().step()`` once per "frame".
"""

import asyncio
import contextvars
import sys
import traceback

from .._checks import quote
from .._errors import ArgumentError, Py5mlError
from ._frame_budget import FrameBudget
from ._frame_gate import FrameGate
from ._py5_hooks import attach_to_sketch

__all__ = ["FrameScheduler", "Task", "get_scheduler", "next_frame", "start_task"]

_HANDLE = contextvars.ContextVar("py5ml_task")  # the Task a coroutine belongs to; gather()'s children inherit it
_MAX_BURST_ROUNDS = 64  # loop iterations per frame, so `await asyncio.sleep(0)` loops can't hang a frame


class Task:
    """A handle on a coroutine started with ``start_task``: poll it from ``draw()``.

    Like py5's ``Py5Promise``: check ``is_done`` each frame, then read ``result`` or
    ``exception``. ``pause()`` holds the task at its next ``await next_frame()``;
    ``resume()`` lets it go on; ``cancel()`` stops it for good.
    """

    def __init__(self, scheduler, aio_task, name):
        self._scheduler = scheduler
        self._aio_task = aio_task
        self.name = name
        self.is_paused = False

    def __repr__(self):
        state = "paused" if self.is_paused else ("done" if self.is_done else "running")
        return f"<py5ml.Task {self.name!r} {state}>"

    @property
    def is_running(self) -> bool:
        """True until the coroutine returns, raises or is cancelled."""
        return not self._aio_task.done()

    @property
    def is_done(self) -> bool:
        """True once the coroutine has finished, in any way."""
        return self._aio_task.done()

    @property
    def is_cancelled(self) -> bool:
        return self._aio_task.cancelled()

    @property
    def result(self):
        """The coroutine's return value; None while it runs or if it failed."""
        if not self.is_done or self.is_cancelled or self._aio_task.exception() is not None:
            return None
        return self._aio_task.result()

    @property
    def exception(self):
        """The exception the coroutine raised, or None."""
        if not self.is_done or self.is_cancelled:
            return None
        return self._aio_task.exception()

    def cancel(self) -> None:
        """Stop the task: it gets ``asyncio.CancelledError`` at its current ``await``."""
        self.is_paused = False
        self._scheduler._cancel(self._aio_task)

    def pause(self) -> None:
        """Hold the task at its next ``await next_frame()`` until ``resume()``."""
        self.is_paused = True

    def resume(self) -> None:
        self.is_paused = False


class FrameScheduler:
    """Runs tasks one burst per frame. Most sketches use the shared one from ``get_scheduler()``."""

    def __init__(self, budget: FrameBudget | None = None):
        self._loop = asyncio.new_event_loop()
        self._waiters = []  # (Task handle or None, future) waiting for the next frame
        self._tasks = {}  # asyncio task -> Task handle
        self.budget = budget or FrameBudget()
        self.gate = FrameGate()  # closed while tasks and draw() run; background work waits
        # fit(yield_every="auto") trains on a thread between frames when a py5 sketch pumps this
        # scheduler. Stepped by hand in a tight loop, such a thread would starve, so it's off.
        self.trains_in_background = False
        self.frame_count = 0
        self.is_closed = False
        _by_loop[self._loop] = self

    # -- starting and stepping -------------------------------------------------------------
    def start_task(self, coro, *, name=None) -> Task:
        if self.is_closed:
            raise Py5mlError("This scheduler is closed (its sketch has exited); start a new sketch first.")
        if not asyncio.iscoroutine(coro):
            raise ArgumentError(
                f"start_task() needs a coroutine, like start_task(train()), not {quote(coro)}. "
                "Did you forget the parentheses, or to write `async def`?"
            )
        handle = Task(self, None, name or getattr(coro, "__name__", "task"))
        context = contextvars.copy_context()
        context.run(_HANDLE.set, handle)
        aio_task = self._loop.create_task(coro, name=name, context=context)
        handle._aio_task = aio_task
        self._tasks[aio_task] = handle
        aio_task.add_done_callback(self._task_finished)
        return handle

    def step(self) -> None:
        """Run one frame: wake next-frame waiters, then run tasks until they all await again."""
        if self.is_closed:
            return
        self.frame_count += 1
        self.budget.start_frame()
        self._wake_waiters()
        self._run_burst()

    def time_left(self) -> float:
        """Seconds left in this frame's training budget (see ``FrameBudget``)."""
        return self.budget.time_left()

    def _wake_waiters(self):
        still_waiting = []
        for handle, fut in self._waiters:
            if fut.done():
                continue
            if handle is not None and handle.is_paused:
                still_waiting.append((handle, fut))
            else:
                fut.set_result(None)
        self._waiters = still_waiting

    def _run_burst(self):
        loop = self._loop
        for _ in range(_MAX_BURST_ROUNDS):
            loop.call_soon(loop.stop)
            loop.run_forever()
            if not getattr(loop, "_ready", None):
                break

    # -- waiting for a frame -----------------------------------------------------------------
    def _frame_future(self):
        fut = self._loop.create_future()
        self._waiters.append((_HANDLE.get(None), fut))
        return fut

    # -- endings --------------------------------------------------------------------------
    def _task_finished(self, aio_task):
        handle = self._tasks.pop(aio_task, None)
        if aio_task.cancelled() or aio_task.exception() is None:
            return
        _report(handle.name if handle else aio_task.get_name(), aio_task.exception())

    def _cancel(self, aio_task):
        if aio_task.done():
            return
        aio_task.cancel()
        if not self._loop.is_running():
            self._run_burst()  # deliver the CancelledError now, so cleanup code runs

    def close(self) -> None:
        """Cancel every task, let them clean up, and close the loop (done when the sketch exits)."""
        if self.is_closed:
            return
        for aio_task in list(self._tasks):
            aio_task.cancel()
        for _ in range(4):
            self._wake_waiters()
            self._run_burst()
            if not self._tasks:
                break
        self.is_closed = True
        self.gate.open()
        self._loop.call_soon(self._loop.stop)
        self._loop.run_forever()
        executor = getattr(self._loop, "_default_executor", None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self._loop.close()
        _by_loop.pop(self._loop, None)


def _report(name, exc):
    """Print a failed task's traceback once; the sketch keeps running."""
    print(f"\npy5ml: task {name!r} stopped with an error (the sketch keeps running):", file=sys.stderr)
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    sys.stderr.flush()


_default = None
_by_loop = {}  # event loop -> its FrameScheduler, so next_frame() finds the one running it


def get_scheduler() -> FrameScheduler:
    """The shared scheduler (a fresh one after the previous sketch exited)."""
    global _default
    if _default is None or _default.is_closed:
        _default = FrameScheduler()
    return _default


def start_task(coro, *, name=None, sketch=None) -> Task:
    """Start an ``async def`` coroutine on the sketch's frame clock and get a ``Task`` back.

    Call it from ``setup()``, ``draw()`` or an event function. The task runs a little every
    frame, before ``draw()``; poll it with ``task.is_done`` / ``task.result``. An exception in
    the task is printed once, with its traceback, and the sketch keeps running.

    Example::

        import py5, py5ml

        async def count():
            for i in range(100):
                print(i)
                await py5ml.next_frame()  # like tf.nextFrame(): let draw() run

        def setup():
            global task
            py5.size(200, 200)
            task = py5ml.start_task(count())

        def draw():
            py5.background(0 if task.is_running else 255)

        py5.run_sketch()

    Args:
        coro: a coroutine object, e.g. ``train()`` (note the parentheses).
        name: shown in error reports.
        sketch: the py5 ``Sketch`` to run on; found automatically in module, class and
            imported mode. Without a running sketch, drive it with ``get_scheduler().step()``.
    """
    scheduler = get_scheduler()
    attach_to_sketch(scheduler, sketch)
    return scheduler.start_task(coro, name=name)


async def next_frame() -> None:
    """Wait for the next frame: py5ml's ``tf.nextFrame()``.

    Inside a task this lets ``draw()`` run once before the task goes on. Outside py5ml's
    scheduler (plain ``asyncio.run``) it waits one 60 fps frame instead.
    """
    scheduler = _running_scheduler()
    if scheduler is None:
        await asyncio.sleep(1 / 60)
        return
    await scheduler._frame_future()


def current_task():
    """The ``Task`` the calling coroutine belongs to (gather()'s children included), or None."""
    return _HANDLE.get(None)


async def notify_when_done(awaitable, callback=None, on_error=None):
    """Await ``awaitable``, then call ``callback()``; if it fails, ``on_error(error)`` (or re-raise).

    The ml5 shape (``load(path, ready)``) for work that finishes on a later frame.
    """
    try:
        await awaitable
    except Exception as error:
        if on_error is None:
            raise
        on_error(error)
        return
    if callback is not None:
        callback()


def _running_scheduler():
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        raise Py5mlError(
            "next_frame() must be awaited inside an async function: `await py5ml.next_frame()`, "
            "in a coroutine started with py5ml.start_task(...)."
        ) from None
    return _by_loop.get(loop)
