"""py5ml's inference thread gives way to the sketch: it runs at a lower scheduling priority."""

import os
import sys
import threading

import pytest

from py5ml.clock._thread_priority import NICENESS, yield_to_the_sketch
from py5ml.vision._inference_worker import InferenceWorker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")

def test_the_inference_thread_runs_below_the_sketch():
    worker = InferenceWorker(lambda: "model")
    try:
        priority = worker.submit(lambda _model: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result(10)
    finally:
        worker.close()
    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert priority == min(19, here + NICENESS)

def test_yield_to_the_sketch_lowers_only_the_calling_thread():
    result = {}

    def work():
        yield_to_the_sketch(3)
        result["worker"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    assert result["worker"] == min(19, here + 3)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == here
