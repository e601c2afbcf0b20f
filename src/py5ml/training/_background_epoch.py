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
    """One epoch on a thread: ``plan()`` the batches, ``step`` each, then ``finish()``.

    ``plan`` (shuffling) and ``finish`` (the validation pass) run on the thread too, so the
    frame where an epoch ends costs ``draw()`` nothing extra. Collect batches with ``drain()``;
    ``result`` holds what ``finish`` returned.
    """

    def __init__(self, plan, step, finish, gate, is_paused=lambda: False):
        self.plan, self.step, self.finish, self.gate = plan, step, finish, gate
        self.is_paused = is_paused  # a paused Task pauses its thread too
        self.done = collections.deque()  # (batch, size, logs), appended by the thread
        self.result = None
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
            selections = self._in_turn(self.plan)
            for batch, (sel, size) in enumerate(selections or ()):
                if not self._in_turn(lambda: self.done.append((batch, size, self.step(batch, sel))) or True):
                    break
            self.result = self._in_turn(self.finish, even_when_stopping=True)
        except BaseException as e:  # delivered to the fit coroutine, which raises it
            self.error = e
        finally:
            sys.setswitchinterval(self._old_interval)
            self.is_finished.set()

    def _in_turn(self, work, even_when_stopping=False):
        """Run ``work()`` when the gate lets us (never during ``draw()``); False if stopped first."""
        while even_when_stopping or not self.is_stopping:
            if self.is_paused() and not self.is_stopping:
                time.sleep(0.01)
                continue
            with self.gate.turn() as turn:
                if turn.has_turn:
                    return work()
        return False
