"""``Capture``: a live picture source for a sketch — a webcam, a video file, a folder of images,
or the built-in synthetic scene — read on its own thread and drawn as a py5 image.

Think of it as a window onto a conveyor belt: a background thread keeps putting the newest frame
on the belt; ``read()`` looks at whatever is there now (never waits), and ``draw()`` shows it.
Camera and video come through OpenCV (``pip install py5ml[camera]``); the image folder and the
synthetic scene need nothing extra and work headless.

Example::

    import py5
    from py5ml import Capture

    def setup():
        global video
        py5.size(320, 240)
        video = Capture("camera")   # falls back to the synthetic scene without a camera

    def draw():
        video.draw(0, 0)

    def key_pressed():
        video.toggle()              # the synthetic figure picks up / lets go of its balloon

    py5.run_sketch()
"""

from __future__ import annotations

import sys
import threading
import time

from ._capture_sources import (CameraSource, ImageFolderSource, SyntheticSource, VideoSource, list_cameras, resize,
                               warm_up_resize)
from .._checks import check_int, check_number, check_path, quote
from .._errors import ArgumentError, Py5mlError

__all__ = ["Capture", "list_cameras", "parse_source"]

DEFAULTS = {"width": 320, "height": 240, "fps": 30, "fallback": "synthetic"}


def parse_source(source):
    """Split "camera", "camera:1", 2, "video:PATH", "images:DIR" or "synthetic" into (kind, arg)."""
    if isinstance(source, int) and not isinstance(source, bool):
        return "camera", check_int(source, "camera number", low=0, high=255)
    if not isinstance(source, str):
        raise ArgumentError(f"source must be text such as 'camera' or 'images:DIR', not {quote(source)}.")
    text = source
    kind, _, arg = text.partition(":")
    kind = kind.lower()
    if kind == "camera":
        if arg and not (arg.isdigit() and len(arg) <= 3):
            raise Py5mlError(f"Unknown camera {quote(arg)}: use camera:0, camera:1... (see list_cameras()).")
        return "camera", int(arg) if arg else 0
    if kind in ("video", "images") and arg:
        return kind, str(check_path(arg, f"The {kind} path", error=Py5mlError))
    if kind == "synthetic" and not arg:
        return "synthetic", None
    raise Py5mlError(f"Unknown source {quote(text)}. Use camera, camera:1, video:PATH, images:DIR or synthetic.")


class Capture:
    """A live frame source. ``read()`` gives the newest RGB frame; ``draw()`` shows it.

    Args:
        source: "camera" (index 0), "camera:N" or N, "video:PATH", "images:DIR" or "synthetic".
        width, height: frame size every source delivers (frames are resized to it).
        fps: how often the thread fetches a frame (a video plays at its own rate).
        fallback: what to use when the camera or file cannot be opened ("synthetic", or None
            to raise instead). ``capture.message`` then says what happened, for the screen.

    Raises:
        Py5mlError: an unknown source, or an unusable one with ``fallback=None``.
    """

    def __init__(self, source="camera", *, width=DEFAULTS["width"], height=DEFAULTS["height"],
                 fps=DEFAULTS["fps"], fallback=DEFAULTS["fallback"]):
        self.width = check_int(width, "width", low=8, high=8192)
        self.height = check_int(height, "height", low=8, high=8192)
        fps = check_number(fps, "fps", low=0, low_open=True, high=1000)
        if fallback is not None and not (isinstance(fallback, str) and fallback == "synthetic"):
            raise ArgumentError(f"fallback must be 'synthetic' or None, not {quote(fallback)}.")
        self.message = None
        self._source = self._open(source, fps, fallback)
        self.description = self._source.description
        self._frame = self._source.read_frame()
        self._frame_id = 1
        self._drawn_id = 0
        self._image = None
        self._lock = threading.Lock()
        self._is_open = True
        self._thread = threading.Thread(target=self._run, name="py5ml-capture", daemon=True)
        self._thread.start()

    def _open(self, source, fps, fallback):
        kind, arg = parse_source(source)
        size = (self.width, self.height)
        try:
            if kind == "camera":
                return CameraSource(arg, size, fps)
            if kind == "video":
                return VideoSource(arg, size)
            if kind == "images":
                return ImageFolderSource(arg, size, fps)
            return SyntheticSource(size, fps)
        except Py5mlError as error:
            if fallback is None:
                raise
            self.message = f"{error} Using the {fallback} scene instead."
            print(f"py5ml: {self.message}", file=sys.stderr)
            return SyntheticSource(size, fps)

    # -- the reading thread ------------------------------------------------------------------
    def _run(self):
        warm_up_resize()  # import cv2 here, not in the first draw() (130 ms of the first frame)
        interval = self._source.interval
        next_time = time.perf_counter()
        while self._is_open:
            frame = self._source.read_frame()
            if frame is not None:
                with self._lock:
                    self._frame = frame
                    self._frame_id += 1
            next_time += interval
            delay = next_time - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                next_time = time.perf_counter()  # running late: don't try to catch up

    # -- what a sketch uses ----------------------------------------------------------------------
    @property
    def is_synthetic(self):
        return isinstance(self._source, SyntheticSource)

    @property
    def holding(self):
        """Synthetic scene only: whether the figure holds its balloon (settable)."""
        return bool(getattr(self._source, "holding", False))

    @holding.setter
    def holding(self, value):
        if not self.is_synthetic:
            raise Py5mlError("Only the synthetic scene has a balloon to hold; this capture is " + self.description)
        self._source.scene.holding = bool(value)
        self.refresh()

    def toggle(self):
        """Synthetic scene: swap holding / not holding. Other sources: does nothing."""
        if self.is_synthetic:
            self.holding = not self.holding

    def refresh(self):
        """Fetch a frame now (e.g. right after changing the synthetic scene)."""
        frame = self._source.read_frame()
        if frame is not None:
            with self._lock:
                self._frame = frame
                self._frame_id += 1

    def read(self):
        """The newest frame: an (height, width, 3) uint8 RGB numpy array. Never waits.

        The array is never written again by the capture, so it is safe to keep.
        """
        with self._lock:
            return self._frame

    def draw(self, x=0, y=0, w=None, h=None, *, sketch=None):
        """Draw the newest frame at (x, y), scaled to w×h when given.

        One ``Py5Image`` is reused and only refreshed when a new frame has arrived, so drawing
        costs one ``image()`` call on most frames. Scaling happens in numpy, once per new frame:
        py5's own ``image(img, x, y, w, h)`` rescales on every frame, which costs a whole frame.
        """
        if sketch is None:
            import py5

            sketch = py5.get_current_sketch()
        with self._lock:
            frame, frame_id = self._frame, self._frame_id
        size = (frame.shape[1], frame.shape[0]) if w is None else (int(round(w)), int(round(h)))
        if frame_id != self._drawn_id or self._image is None or (self._image.width, self._image.height) != size:
            self._refresh_image(sketch, resize(frame, size))
            self._drawn_id = frame_id
        sketch.image(self._image, x, y)

    def _refresh_image(self, sketch, frame):
        same_size = self._image is not None and (self._image.width, self._image.height) == (frame.shape[1], frame.shape[0])
        self._image = sketch.create_image_from_numpy(frame, "RGB", dst=self._image if same_size else None)

    def close(self):
        """Stop the reading thread and release the camera or file."""
        self._is_open = False
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2)
        self._source.close()

    def __repr__(self):
        return f"<py5ml.Capture {self.description}>"
