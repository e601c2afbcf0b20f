"""One background thread that owns a backbone, so ``draw()`` never waits on it.

Like a kitchen with one cook: the sketch drops orders (images) through the hatch and goes on
serving frames; the cook works through them in order and rings a bell (a future) for each dish.
The cook first has to arrive (load the backbone): orders placed before that simply wait.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

import torch

from ..clock._thread_priority import yield_to_the_sketch

__all__ = ["InferenceWorker"]


class InferenceWorker:
    """Loads a model with ``load()`` on its own thread, then runs submitted jobs one at a time.

    Args:
        load: a function returning the model; it runs on the worker thread.
        threads: torch intra-op threads for this process while working (None: leave as is).
            One thread leaves the other core to the sketch, which keeps frames smooth.
    """

    def __init__(self, load, *, threads=None, name="py5ml-backbone"):
        self.ready = Future()  # resolves to the model, or to the loading error
        self._jobs = queue.SimpleQueue()
        self._threads = threads
        self._is_closed = False
        self._thread = threading.Thread(target=self._run, args=(load,), name=name, daemon=True)
        self._thread.start()

    @property
    def is_ready(self) -> bool:
        """True once ``load()`` has returned the model."""
        return self.ready.done() and self.ready.exception() is None

    @property
    def load_error(self):
        """The exception ``load()`` raised, or None (also while it is still loading)."""
        return self.ready.exception() if self.ready.done() else None

    def submit(self, fn, *args) -> Future:
        """Run ``fn(model, *args)`` on the worker; returns a ``concurrent.futures.Future``."""
        fut = Future()
        if self._is_closed:
            fut.set_exception(RuntimeError("The feature extractor was closed."))
        elif self.ready.done() and self.ready.exception() is not None:
            fut.set_exception(self.ready.exception())
        else:
            self._jobs.put((fut, fn, args))
        return fut

    def close(self):
        """Let queued jobs finish, then stop the thread."""
        self._is_closed = True
        self._jobs.put(None)

    def _run(self, load):
        yield_to_the_sketch()  # frames first when the cores are busy
        if self._threads is not None:
            torch.set_num_threads(self._threads)
        try:
            model = load()
        except BaseException as error:  # report it through every future, never lose it
            self.ready.set_exception(error)
            self._fail_pending(error)
            return
        self.ready.set_result(model)
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fut, fn, args = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(model, *args))
            except BaseException as error:
                fut.set_exception(error)

    def _fail_pending(self, error):
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None and job[0].set_running_or_notify_cancel():
                job[0].set_exception(error)
