"""The things a ``Capture`` can read from: camera, video file, image folder, synthetic scene.

Each source has ``read_frame()`` (an RGB uint8 frame of the capture's size, or None when there is
nothing new), ``interval`` (seconds between reads) and ``description``. Opening one that cannot
work raises a ``Py5mlError`` whose text says why and what else to try.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .._errors import Py5mlError
from ._synthetic_scene import SyntheticScene

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
OTHER_SOURCES = "Try --source video:PATH, --source images:DIR or --source synthetic."


def _cv2():
    try:
        import cv2
    except ImportError:
        raise Py5mlError("Camera and video need OpenCV: pip install 'py5ml[camera]'.") from None
    try:  # probing for cameras makes OpenCV print a warning per missing index; our message says it once
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    except AttributeError:
        pass
    return cv2


def list_cameras(max_index=4):
    """Indexes of the cameras OpenCV can open, e.g. ``[0]`` (``[]`` when there is none).

    Tries indexes 0..max_index-1, so it takes a moment; call it once, in ``setup()``.
    """
    try:
        cv2 = _cv2()
    except Py5mlError:
        return []
    found = []
    for index in range(max_index):
        cam = cv2.VideoCapture(index)
        try:
            if cam.isOpened() and cam.read()[0]:
                found.append(index)
        finally:
            cam.release()
    return found


def warm_up_resize():
    """Import what ``resize`` uses (cv2, ~130 ms), so the first ``draw()`` does not wait for it."""
    try:
        import cv2  # noqa: F401
    except ImportError:
        pass


def resize(rgb, size):
    """An RGB frame at ``size`` (width, height); the same array when it already is."""
    if (rgb.shape[1], rgb.shape[0]) == tuple(size):
        return np.ascontiguousarray(rgb)
    try:
        import cv2
    except ImportError:
        return np.asarray(Image.fromarray(rgb).resize(size, Image.BILINEAR))
    return cv2.resize(rgb, tuple(size), interpolation=cv2.INTER_LINEAR)


class CameraSource:
    def __init__(self, index, size, fps):
        cv2 = _cv2()
        self.cv2, self.size, self.interval = cv2, size, 1.0 / fps
        self.cam = cv2.VideoCapture(index)
        ok = self.cam.isOpened() and self.cam.read()[0]
        if not ok:
            self.cam.release()
            found = list_cameras()
            hint = f"Cameras found: {found}." if found else "No camera found."
            raise Py5mlError(f"Camera {index} could not be opened. {hint} {OTHER_SOURCES}")
        self.cam.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
        self.cam.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        self.description = f"camera {index}"

    def read_frame(self):
        ok, bgr = self.cam.read()  # blocks until the camera's next frame
        if not ok:
            return None
        return resize(self.cv2.cvtColor(bgr, self.cv2.COLOR_BGR2RGB), self.size)

    def close(self):
        self.cam.release()


class VideoSource:
    """A video file that loops forever, played at its own frame rate."""

    def __init__(self, path, size):
        cv2 = _cv2()
        self.cv2, self.size, self.path = cv2, size, Path(path)
        if not self.path.is_file():
            raise Py5mlError(f"Video file {self.path} not found. {OTHER_SOURCES}")
        self.video = cv2.VideoCapture(str(self.path))
        if not (self.video.isOpened() and self.video.read()[0]):
            self.video.release()
            raise Py5mlError(f"OpenCV cannot read the video {self.path}. {OTHER_SOURCES}")
        self.video.set(cv2.CAP_PROP_POS_FRAMES, 0)
        fps = self.video.get(cv2.CAP_PROP_FPS) or 30.0
        self.interval = 1.0 / max(1.0, min(fps, 120.0))
        self.description = f"video {self.path.name}"

    def read_frame(self):
        ok, bgr = self.video.read()
        if not ok:  # the end: start again
            self.video.set(self.cv2.CAP_PROP_POS_FRAMES, 0)
            ok, bgr = self.video.read()
            if not ok:
                return None
        return resize(self.cv2.cvtColor(bgr, self.cv2.COLOR_BGR2RGB), self.size)

    def close(self):
        self.video.release()


class ImageFolderSource:
    """The images in a folder, in name order, as a slideshow that loops (``fps`` images a second)."""

    def __init__(self, folder, size, fps):
        self.folder, self.size = Path(folder), size
        if not self.folder.is_dir():
            raise Py5mlError(f"Image folder {self.folder} not found. {OTHER_SOURCES}")
        self.paths = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.paths:
            raise Py5mlError(f"No .png/.jpg images in {self.folder}. {OTHER_SOURCES}")
        self.interval = 1.0 / fps
        self.index = 0
        self.cache = {}
        self.description = f"images in {self.folder.name} ({len(self.paths)})"

    def read_frame(self):
        path = self.paths[self.index % len(self.paths)]
        self.index += 1
        if path not in self.cache:
            with Image.open(path) as im:
                self.cache[path] = resize(np.asarray(im.convert("RGB")), self.size)
        return self.cache[path]

    def close(self):
        self.cache.clear()


class SyntheticSource:
    """The built-in scene (see ``SyntheticScene``), rendered on the capture's thread."""

    def __init__(self, size, fps):
        self.scene = SyntheticScene(*size)
        self.interval = 1.0 / fps
        self.description = "synthetic scene"

    @property
    def holding(self):
        return self.scene.holding

    def read_frame(self):
        return self.scene.render()

    def close(self):
        pass
