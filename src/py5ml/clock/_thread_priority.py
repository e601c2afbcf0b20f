"""Background threads give way to the sketch when the cores are busy.

py5ml's workers (the backbone's inference thread, background training batches, preloading) run
beside py5's renderer and ``draw()``. On a two-core machine they compete for the same cores, and
a frame that waits for a core is a late frame. ``yield_to_the_sketch()``, called at the start of
a worker thread, lowers that thread's scheduling priority (Linux schedules threads one by one),
so the frame's work gets a core first; when a core is free, the worker runs at full speed.

Only for threads that spend their time outside the GIL, like torch's convolutions on the
inference thread (measured with a core-burning neighbour: frame p95 18.4–18.9 ms instead of
20.5–20.9 ms). A thread that holds the GIL most of the time, like the numpy training step,
must not use it: descheduled while holding the GIL, it stalls ``draw()`` (p95 34–38 ms instead
of 21 ms in ``benchmarks/training_throughput.py``'s busy run).

Example::

    import threading
    from py5ml.clock._thread_priority import yield_to_the_sketch

    def work():
        yield_to_the_sketch()
        ...  # heavy numbers, off the draw thread

    threading.Thread(target=work, daemon=True).start()
"""

import os
import threading

__all__ = ["yield_to_the_sketch", "NICENESS"]

NICENESS = 10  # how much lower than the sketch a worker is scheduled


def yield_to_the_sketch(niceness: int = NICENESS) -> None:
    """Lower the calling thread's priority by ``niceness`` (capped at 19); never raises."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + niceness))
    except (AttributeError, OSError):  # not Linux, or not allowed: run at the normal priority
        pass
