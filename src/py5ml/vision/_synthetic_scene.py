"""A built-in stand-in for a webcam: a figure that wanders about, holding a balloon or not.

With no camera (a server, CI, a classroom laptop with the lid closed) a sketch still needs
something to learn about. This scene has exactly one thing that changes the class: whether the
figure holds a balloon (and smiles) or not (and frowns). Everything else moves on its own — where
the figure stands, how it bobs, its shirt colour, the light — so a model has to learn the balloon,
not the clock. Pure numpy, so it needs no camera library and no display.
"""

from __future__ import annotations

import math
import time

import numpy as np

__all__ = ["SyntheticScene"]


class SyntheticScene:
    """Renders RGB frames of a moving figure; ``holding`` says whether it holds the balloon.

    Example::

        scene = SyntheticScene(320, 240)
        scene.holding = True
        frame = scene.render()  # (240, 320, 3) uint8, a happy figure with a balloon
    """

    def __init__(self, width=320, height=240, *, seed=0, clock=time.perf_counter):
        self.width, self.height = width, height
        self.holding = False
        self.clock = clock
        self._start = clock()
        self._rng = np.random.default_rng(seed)
        self._yy, self._xx = np.mgrid[0:height, 0:width].astype(np.float32)
        self._sky = self._gradient()
        self._noise = self._rng.normal(0.0, 4.0, (8, height, width, 1)).astype(np.float32)

    def toggle(self):
        """Swap between holding the balloon and not (a key press in the sketches)."""
        self.holding = not self.holding

    def render(self, t=None):
        """One frame at time ``t`` seconds (default: time since the scene started)."""
        t = self.clock() - self._start if t is None else t
        img = self._sky * (0.85 + 0.15 * math.sin(t * 0.7))  # the light drifts
        s = self.height / 240.0
        cx = self.width * (0.5 + 0.3 * math.sin(t * 0.9))
        cy = self.height * 0.6 + 6 * s * math.sin(t * 4.0)
        shirt = np.array([60 + 40 * math.sin(t * 0.5), 90, 170 + 40 * math.cos(t * 0.3)], np.float32)
        self._figure(img, cx, cy, s, shirt, t)
        img += self._noise[int(t * 30) % len(self._noise)]  # a little sensor grain
        return np.clip(img, 0, 255, out=img).astype(np.uint8)

    # -- drawing ---------------------------------------------------------------------------
    def _gradient(self):
        v = (self._yy / max(self.height - 1, 1))[..., None]
        top, bottom = np.array([150, 190, 230], np.float32), np.array([225, 215, 190], np.float32)
        return top * (1 - v) + bottom * v

    def _figure(self, img, cx, cy, s, shirt, t):
        skin = (240, 200, 160)
        self._ellipse(img, cx, cy + 45 * s, 28 * s, 45 * s, shirt)  # body
        self._circle(img, cx, cy - 22 * s, 24 * s, skin)  # head
        for dx in (-8, 8):
            self._circle(img, cx + dx * s, cy - 28 * s, 3.5 * s, (30, 30, 30))  # eyes
        self._mouth(img, cx, cy - 12 * s, s, happy=self.holding)
        if self.holding:
            hand_x, hand_y = cx + 40 * s, cy - 5 * s
            self._line(img, cx + 20 * s, cy + 25 * s, hand_x, hand_y, 6 * s, skin)
            bx, by = hand_x + 6 * s * math.sin(t * 2.0), hand_y - 70 * s
            self._line(img, hand_x, hand_y, bx, by + 26 * s, 1.5 * s, (60, 60, 60))  # string
            self._ellipse(img, bx, by, 22 * s, 27 * s, (230, 40, 50))  # balloon
        else:
            self._line(img, cx + 20 * s, cy + 25 * s, cx + 30 * s, cy + 70 * s, 6 * s, skin)
        self._line(img, cx - 20 * s, cy + 25 * s, cx - 30 * s, cy + 70 * s, 6 * s, skin)

    def _mouth(self, img, cx, cy, s, *, happy):
        # A smile is a ring's lower half; a frown its upper half, a little lower down.
        y0 = cy - 6 * s if happy else cy + 6 * s
        x_a, x_b, y_a, y_b = self._box(cx - 12 * s, cx + 12 * s, y0 - 12 * s, y0 + 12 * s)
        xx, yy = self._xx[y_a:y_b, x_a:x_b], self._yy[y_a:y_b, x_a:x_b]
        d = np.hypot(xx - cx, yy - y0)
        ring = (d > 8 * s) & (d < 11 * s)
        ring &= (yy > y0 + 2 * s) if happy else (yy < y0 - 2 * s)
        img[y_a:y_b, x_a:x_b][ring] = (120, 30, 30)

    def _circle(self, img, cx, cy, r, color):
        self._ellipse(img, cx, cy, r, r, color)

    def _ellipse(self, img, cx, cy, rx, ry, color):
        x0, x1, y0, y1 = self._box(cx - rx, cx + rx, cy - ry, cy + ry)
        if x0 >= x1 or y0 >= y1:
            return
        xx, yy = self._xx[y0:y1, x0:x1], self._yy[y0:y1, x0:x1]
        inside = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1.0
        img[y0:y1, x0:x1][inside] = color

    def _line(self, img, xa, ya, xb, yb, width, color):
        x0, x1, y0, y1 = self._box(min(xa, xb) - width, max(xa, xb) + width, min(ya, yb) - width, max(ya, yb) + width)
        if x0 >= x1 or y0 >= y1:
            return
        xx, yy = self._xx[y0:y1, x0:x1], self._yy[y0:y1, x0:x1]
        dx, dy = xb - xa, yb - ya
        along = np.clip(((xx - xa) * dx + (yy - ya) * dy) / max(dx * dx + dy * dy, 1e-6), 0, 1)
        dist = np.hypot(xx - (xa + along * dx), yy - (ya + along * dy))
        img[y0:y1, x0:x1][dist <= width / 2] = color

    def _box(self, xa, xb, ya, yb):
        return (max(int(xa), 0), min(int(xb) + 2, self.width), max(int(ya), 0), min(int(yb) + 2, self.height))
