"""One epoch of training on a background thread, with its callbacks replayed on the frame clock.

This is what ``yield_every="auto"`` uses inside a sketch: a daemon thread runs the batches in
the gaps between frames (see ``FrameGate``), while the ``fit`` coroutine wakes once a frame and
hands each finished batch's logs to the callbacks on the draw thread, in order. The sketch keeps
its frame rate and training gets most of every frame.
"""

import collections
import sys
import threading
import time

__all__ = ["EpochWorker"]

_SWITCH_INTERVAL = 0.001  # hand the GIL over within 1 ms, so a frame never waits long to start


class EpochWorker:
    """Runs ``step(batch_index, selection)`` for each batch on a thread; collect with ``drain()``."""

    def __init__(self, step, selections, gate, is_paused=lambda: False):
        self.step, self.selections, self.gate = step, selections, gate
        self.is_paused = is_paused  # a paused Task pauses its thread too
        self.done = collections.deque()  # (batch, size, logs), appended by the thread
        self.error = None
        self.is_stopping = False
        self.is_finished = threading.Event()

    def start(self) -> None:
        self._old_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._old_interval, _SWITCH_INTERVAL))
        threading.Thread(target=self._run, name="py5ml-training", daemon=True).start()

    def stop(self) -> None:
        """Finish after the batch in progress (the thread checks between batches)."""
        self.is_stopping = True

    def drain(self) -> list:
        items = []
        while self.done:
            items.append(self.done.popleft())
        return items

    def _run(self):
        try:
            for batch, (sel, size) in enumerate(self.selections):
                if not self._one(batch, sel, size):
                    break
        except BaseException as e:  # delivered to the fit coroutine, which raises it
            self.error = e
        finally:
            sys.setswitchinterval(self._old_interval)
            self.is_finished.set()

    def _one(self, batch, sel, size):
        while not self.is_stopping:
            if self.is_paused():
                time.sleep(0.01)
                continue
            with self.gate.turn() as turn:
                if turn.has_turn:
                    self.done.append((batch, size, self.step(batch, sel)))
                    return True
        return False
