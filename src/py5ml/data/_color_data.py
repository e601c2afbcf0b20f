"""The Coding Train color data set: 5,643 colors people labelled "red-ish", "blue-ish"...

``load_color_data()`` looks in three places, like a cook who checks the fridge, then the shop,
then the emergency tin: a cached copy, a download from the Coding Train repository, and an
offline default built from the XKCD color survey (shipped inside py5ml, see
scripts/make_xkcd_fallback.py). Every file is validated before it is used or cached.
"""

import json
import os
import tempfile
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .._checks import check_number, check_path, quote, read_regular_file
from .._errors import DataError

COLOR_LABELS = (
    "red-ish", "green-ish", "blue-ish", "orange-ish", "yellow-ish",
    "pink-ish", "purple-ish", "brown-ish", "grey-ish",
)
DATA_URL = "https://raw.githubusercontent.com/CodingTrain/ColorClassifer-TensorFlow.js/master/colorData.json"
CACHE_NAME = "colorData.json"
MAX_BYTES = 16 * 2**20  # the real file is 0.7 MB; a FIFO or /dev/zero must not be read forever


@dataclass(frozen=True)
class ColorData:
    """Colors and their labels, ready to train on.

    Args:
        rgb: (N, 3) float32 array of 0..255 values, in file order.
        labels: N label strings, each one of ``COLOR_LABELS``.
        source: where the colors came from, in words you can show on screen.
        is_fallback: True when this is the offline XKCD default, not the Coding Train data.

    Example::

        import py5
        from py5ml import load_color_data

        data = load_color_data()

        def setup():
            py5.size(400, 100)
            py5.no_stroke()
            for i in range(40):
                py5.fill(*data.rgb[i])
                py5.rect(i * 10, 0, 10, 80)
            py5.fill(0)
            py5.text(data.describe(), 5, 95)

        py5.run_sketch()
    """

    rgb: np.ndarray
    labels: tuple[str, ...]
    source: str
    is_fallback: bool

    def __len__(self):
        return len(self.labels)

    def label_indices(self):
        """Each color's label as an index into ``COLOR_LABELS``: an (N,) int64 array."""
        lookup = {label: i for i, label in enumerate(COLOR_LABELS)}
        return np.array([lookup[label] for label in self.labels], dtype=np.int64)

    def one_hot(self):
        """Each label as a row of 9 zeros with a 1 at its index: an (N, 9) float32 array."""
        return np.eye(len(COLOR_LABELS), dtype=np.float32)[self.label_indices()]

    def describe(self):
        """One line for the screen, e.g. "offline: using XKCD colors (909 colors)"."""
        if self.is_fallback:
            return f"offline: using XKCD colors ({len(self):,} colors)"
        return f"{self.source}"


def load_color_data(path=None, *, download=True, cache_dir=None, timeout=5.0):
    """Load the Coding Train color data set, or the offline default when it can't be had.

    With ``path`` it reads exactly that file. Without, it tries the cached copy
    (``cache_dir``, else ``$PY5ML_CACHE``, else ``~/.cache/py5ml``), then downloads it (if
    ``download``) into that cache, and finally falls back to the XKCD colors shipped with py5ml.

    Args:
        path: a colorData.json file to read; errors in it are raised, never skipped.
        download: whether to try the internet when there is no cached copy.
        cache_dir: a folder for the cached colorData.json.
        timeout: seconds to wait for the download before going offline.

    Raises:
        DataError: ``path`` is missing or not valid color data (the message names the entry).

    Example::

        from py5ml import load_color_data
        data = load_color_data()
        print(data.source, len(data), data.one_hot().shape)
    """
    timeout = check_number(timeout, "timeout", low=0, low_open=True, high=600)
    if path is not None:
        return _read_file(check_path(path, "path"))
    cache = _cache_path(None if cache_dir is None else check_path(cache_dir, "cache_dir"))
    data = _read_cache(cache)
    if data is None and download:
        data = _download(cache, timeout)
    return data if data is not None else _load_fallback()


def parse_color_json(text, where):
    """Validate color data JSON text; returns (rgb float32 array, labels tuple).

    ``where`` names the file in error messages.
    """
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as e:  # JSONDecodeError, UnicodeDecodeError, nesting too deep
        raise DataError(
            f"{where} is not valid JSON ({str(e)[:80]}). Download colorData.json again or fix the file."
        ) from None
    entries = doc.get("entries") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DataError(
            f'{where} has no color entries: expected {{"entries": [{{"r": 255, "g": 0, "b": 0, '
            f'"label": "red-ish"}}, ...]}}. Check that this is colorData.json.'
        )
    rgb = np.array([_check_entry(entry, i, where) for i, entry in enumerate(entries)], dtype=np.float32)
    return rgb, tuple(entry["label"] for entry in entries)


def _check_entry(entry, i, where):
    if not isinstance(entry, dict):
        raise DataError(f"{where}: entry {i} is {quote(entry)}, not an object with r, g, b and label. Fix or delete that entry.")
    values = []
    for channel in "rgb":
        v = entry.get(channel)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 255:
            raise DataError(
                f"{where}: entry {i} has {channel}={quote(v)}; r, g and b must be numbers from 0 to 255. "
                "Fix or delete that entry."
            )
        values.append(v)
    if entry.get("label") not in COLOR_LABELS:
        raise DataError(
            f"{where}: entry {i} has unknown label {quote(entry.get('label'))}; use one of "
            f"{', '.join(COLOR_LABELS)}. Fix or delete that entry."
        )
    return values


def _read_file(path):
    try:
        text = _read_bounded(path)
    except FileNotFoundError:
        raise DataError(
            f"Can't find the color data file {_short(path)}. Check the path, or call load_color_data() "
            "without a path to use the cached or downloaded copy."
        ) from None
    except OSError as e:
        raise DataError(f"Can't read the color data file {_short(path)} ({e.strerror}). Check the path.") from None
    rgb, labels = parse_color_json(text, path)
    return ColorData(rgb, labels, f"{path.name} ({len(labels):,} colors)", is_fallback=False)


def _short(path) -> str:
    """A path for a message, cut so that a 4,000-character name does not fill the screen."""
    text = str(path)
    return text if len(text) <= 120 else text[:119] + "…"


def _read_bounded(path):
    """The bytes of a regular file of at most ``MAX_BYTES``; FIFOs, devices and folders are refused."""
    where = _short(path).replace("{", "{{").replace("}", "}}")
    return read_regular_file(path, MAX_BYTES, cannot_read=None,
                             not_regular=f"The color data file {where} is not a regular file. Give a colorData.json file.",
                             too_large=f"The color data file {where} is larger than {{limit:,}} bytes; "
                                       "colorData.json is under 1 MB. Check the path.")


def _cache_path(cache_dir):
    if cache_dir is None:
        cache_dir = os.environ.get("PY5ML_CACHE") or Path.home() / ".cache" / "py5ml"
    return Path(cache_dir) / CACHE_NAME


def _read_cache(cache):
    """The cached copy, or None when there is none or it is damaged (a download replaces it)."""
    try:
        if not cache.is_file():
            return None
        rgb, labels = parse_color_json(_read_bounded(cache), cache)
    except (DataError, OSError):  # damaged, a FIFO, too big, unreadable: download or fall back
        return None
    return ColorData(rgb, labels, _coding_train_source(len(labels)), is_fallback=False)


def _fetch(url, timeout):
    """The bytes at ``url`` (a separate function so tests can replace it)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        raw = response.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DataError(f"The download from {url} is larger than {MAX_BYTES:,} bytes; that is not colorData.json.")
    return raw


def _download(cache, timeout):
    """Download, validate, then cache atomically; None when offline or the download is bad."""
    try:
        raw = _fetch(DATA_URL, timeout)
        rgb, labels = parse_color_json(raw, DATA_URL)
    except (OSError, ValueError):  # URLError, timeouts, DataError: all mean "use the fallback"
        return None
    _write_atomically(cache, raw)
    return ColorData(rgb, labels, _coding_train_source(len(labels)), is_fallback=False)


def _write_atomically(path, raw):
    """Write via a temp file and os.replace, so a crash never leaves half a file behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".colorData-", suffix=".tmp")
    except OSError:  # a read-only cache is not worth failing a sketch over
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _load_fallback():
    text = (resources.files("py5ml") / "data" / "xkcd_colors.json").read_bytes()
    rgb, labels = parse_color_json(text, "py5ml/data/xkcd_colors.json")
    source = f"offline fallback: XKCD color survey ({len(labels):,} colors)"
    return ColorData(rgb, labels, source, is_fallback=True)


def _coding_train_source(n):
    return f"colorData.json (Coding Train, {n:,} colors)"
