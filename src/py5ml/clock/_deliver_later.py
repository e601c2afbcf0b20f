"""Hand a result to a sketch's callback on a later frame, never from inside the call that asked.

ml5's results arrive through a promise, after the call returns. Coding Train sketches rely on
that: ``got_results`` classifies again, and the loop goes on forever. Calling the callback right
away would nest one call inside the next until Python's recursion limit (~1,000). Here the
callback runs from the frame clock, on the next frame at the latest, so the loop runs one step per
frame for as long as the sketch runs.

Example::

    def got_results(error, results):
        print(results[0]["label"])
        nn.classify(inputs, got_results)   # runs again on the next frame: no recursion

    deliver_later(got_results, results, name="NeuralNetwork.classify")
"""

from __future__ import annotations

from ._scheduler import get_scheduler, next_frame, start_task
from ._user_callbacks import call_back

__all__ = ["deliver_later"]


def deliver_later(callback, result=None, error=None, *, name="result"):
    """Call ``callback`` as ``(error, result)``, ``(result)`` or ``()`` on a later frame; return its Task.

    An error goes to an ``(error, result)`` callback; other callbacks don't run and the error is
    reported once under ``name`` (the sketch keeps running).
    """
    asked_on = get_scheduler().frame_count

    async def deliver():
        if get_scheduler().frame_count == asked_on:  # asked during this frame's tasks: wait one frame
            await next_frame()
        return call_back(callback, result, error)

    return start_task(deliver(), name=f"{name} → {getattr(callback, '__name__', 'callback')}")
