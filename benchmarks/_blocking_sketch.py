"""A reference for startup.py: the bare sketch, but ``import torch`` in ``setup()`` (how the
sketches started before ``py5ml.preload``): its first frame waits for torch."""

import py5


def setup():
    import torch  # noqa: F401  (the point: this blocks the first frame)

    py5.size(640, 480)


def draw():
    py5.background(40)
    py5.line(py5.frame_count % 640, 0, py5.frame_count % 640, 480)


py5.run_sketch()
