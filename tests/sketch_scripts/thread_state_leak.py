"""Counts JPype's per-call leftovers over 200 frames, with or without a py5ml task running."""

import gc
import sys

import py5

import py5ml

with_task = "--task" in sys.argv
counts = {}


def jalloc_types():
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, type) and o.__name__ == "_JAlloc")


async def tick():
    while True:
        await py5ml.next_frame()


def setup():
    py5.size(100, 100)
    if with_task:
        py5ml.start_task(tick())


def draw():
    py5.background(py5.frame_count % 255)
    if py5.frame_count == 50:
        counts["start"] = jalloc_types()
    if py5.frame_count == 250:
        print(f"jalloc_added={jalloc_types() - counts['start']}", flush=True)
        py5.exit_sketch()


py5.run_sketch()
