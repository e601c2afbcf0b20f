"""A gate that keeps background work out of ``draw()``.

Python runs one thread at a time (the GIL). If a training thread kept running while ``draw()``
ran, the two would take turns and the frame would stutter. So the gate closes while the
scheduler's tasks and ``draw()`` run, and opens while py5 renders the frame and waits for the
next one: background work fills the gaps between frames, like a stagehand who only moves
scenery while the curtain is down.
"""

import threading
import time

__all__ = ["FrameGate"]


class FrameGate:
    """Closed during ``draw()``, open between frames. Background threads wrap each unit of work
    in ``with gate.turn():`` (keep units short: ``close()`` waits for the current one)."""

    def __init__(self):
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self.is_closed = False
        self.deadline = None  # perf_counter time after which no new unit starts until the next open()

    def close(self) -> None:
        """Wait for the unit of work in progress, then keep new ones out until ``open()``."""
        if self.is_closed:
            return
        self._open.clear()
        self._lock.acquire()
        self.is_closed = True

    def open(self, deadline: float | None = None) -> None:
        """Let background work in, until ``deadline`` (a ``time.perf_counter()`` time) if given."""
        if not self.is_closed:  # open already, but maybe shut by a passed deadline: reopen
            with self._lock:
                self.deadline = deadline
                self._open.set()
            return
        self.deadline = deadline  # set while the lock is held: a turn sees this frame's deadline
        self.is_closed = False
        self._lock.release()
        self._open.set()

    def turn(self, timeout: float = 0.1):
        """A context manager for one unit of work; ``None`` if the gate stayed shut for ``timeout``."""
        return _Turn(self, timeout)


class _Turn:
    def __init__(self, gate, timeout):
        self.gate, self.timeout = gate, timeout
        self.has_turn = False

    def __enter__(self):
        gate = self.gate
        if gate._open.wait(self.timeout) and gate._lock.acquire(timeout=self.timeout):
            if gate.deadline is not None and time.perf_counter() > gate.deadline:
                gate._open.clear()  # this frame's share is used up: wait for the next open()
            if gate._open.is_set():
                self.has_turn = True
            else:
                gate._lock.release()
        return self

    def __exit__(self, *exc):
        if self.has_turn:
            self.gate._lock.release()
        return False
