"""The reference for startup.py: the smallest py5 sketch (a window and a moving line)."""

import py5


def setup():
    py5.size(640, 480)


def draw():
    py5.background(40)
    py5.line(py5.frame_count % 640, 0, py5.frame_count % 640, 480)


py5.run_sketch()
