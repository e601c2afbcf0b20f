"""py5ml's frame hook in a real sketch: it must not leak a little memory every frame."""

import re

from conftest import ROOT

SCRIPT = ROOT / "tests" / "sketch_scripts" / "thread_state_leak.py"


def added(proc):
    return int(re.search(r"jalloc_added=(-?\d+)", proc.stdout).group(1))


def test_the_frame_hook_stops_jpypes_per_frame_leftovers(run_py):
    bare = run_py(SCRIPT)
    with_py5ml = run_py(SCRIPT, "--task")
    assert added(bare) >= 150  # py5 alone: about one leftover per frame (200 frames)
    assert added(with_py5ml) <= 2  # py5ml keeps one thread state for the animation thread
