"""Argument checks shared by every public entry point.

Each check takes what the user passed, returns it in the form the code needs, or raises a py5ml
error that names the argument, shows a short quote of what was given and says what to pass
instead. They never change state, so a refused call leaves everything as it was.

Example::

    epochs = check_int(epochs, "epochs", low=1)             # 0, -3, "10", 10**30, True: refused
    rate = check_number(learning_rate, "learning_rate", low=0, low_open=True)
    folder = check_path(path, "path")                       # NUL bytes, 5000-char names: refused
"""

from __future__ import annotations

import math
import numbers
import os
from pathlib import Path

from ._errors import DataError

__all__ = ["quote", "check_int", "check_number", "check_path", "check_choice", "check_label"]

QUOTE_LIMIT = 80  # characters of the user's input an error message repeats
MAX_INT = 2**31 - 1  # counts (epochs, units, batch sizes) above this are a mistake, not a plan
MAX_PATH_BYTES = 4096


def quote(value, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)``, cut to ``limit`` characters so an error never echoes megabytes of input."""
    try:
        text = _short_repr(value, limit)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_repr(value, limit):
    if isinstance(value, (str, bytes)) and len(value) > limit:
        return repr(value[:limit])
    if isinstance(value, (list, tuple)) and len(value) > 8:
        return repr(value[:8])[:-1] + f", … {len(value)} items" + repr(value[:0])[-1]
    return repr(value)


def check_int(value, name: str, *, low: int | None = None, high: int = MAX_INT, error=DataError) -> int:
    """A whole number in ``[low, high]``; ``True``, ``2.5``, ``"10"`` and NaN are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer() and abs(value) <= high:
            value = int(value)
        else:
            raise error(f"{name} must be a whole number, like {name}={max(low or 1, 1)}, not {quote(value)}.")
    value = int(value)
    if (low is not None and value < low) or value > high:
        wanted = f"at least {low}" if high == MAX_INT else f"between {low} and {high}"
        raise error(f"{name} must be {wanted}, not {quote(value)}.")
    return value


def check_number(value, name: str, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False, error=DataError) -> float:
    """A finite real number within the given bounds (``low_open``: ``low`` itself is refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(f"{name} must be a number, not {quote(value)}.")
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise error(f"{name} must be a finite number, not {quote(value)}.")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise error(f"{name} must be {_range_words(low, high, low_open, high_open)}, not {quote(value)}.")
    return value


def _range_words(low, high, low_open, high_open):
    if high is None:
        return f"more than {low}" if low_open else f"at least {low}"
    if low is None:
        return f"less than {high}" if high_open else f"at most {high}"
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    return f"in {left}{low}, {high}{right}"


def check_path(value, name: str = "path", *, error=DataError) -> Path:
    """A file-system path from a str or ``os.PathLike``; NUL bytes and over-long names are refused."""
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise error(f"{name} must be a file path (a str or pathlib.Path), not {quote(value)}.")
    text = os.fspath(value)
    if not isinstance(text, str):
        raise error(f"{name} must be a file path (a str or pathlib.Path), not {quote(value)}.")
    if not text:
        raise error(f"{name} is empty: give a file path such as 'model/model.json'.")
    if "\0" in text:
        raise error(f"{name} contains a NUL byte: {quote(text)}. Give a plain file path.")
    encoded = os.fsencode(text)
    if len(encoded) > MAX_PATH_BYTES or any(len(part) > 255 for part in encoded.split(b"/")):
        raise error(f"{name} is too long for the file system: {quote(text)}. Use a shorter name.")
    return Path(text)


def check_choice(value, name: str, choices, *, error=DataError):
    """One of ``choices`` (compared with ``==``); the message lists them."""
    if not isinstance(value, str) or value not in choices:
        raise error(f"{name} must be one of {', '.join(map(repr, choices))}, not {quote(value)}.")
    return value


def check_label(value, name: str = "label", *, error=DataError) -> str:
    """A class label: a non-empty string, or a number (used as its text, like ml5 does).

    A one-item list (ml5's ``["happy"]``) gives its item. Empty strings, ``None``, longer lists
    and dicts are refused instead of being turned into ``''`` or ``"['happy']"``.
    """
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or value is None:
        raise error(f"A {name} must be a non-empty string such as 'happy', not {quote(value)}.")
    if isinstance(value, numbers.Integral) and abs(value) < 2**63:  # a class number, as ml5 allows
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isfinite(value):
        return str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str) or not value.strip():
        raise error(f"A {name} must be a non-empty string such as 'happy', not {quote(value)}.")
    return value


def check_text(value, name: str, *, error=DataError) -> str:
    """A str (titles, button and slider labels); other types are refused instead of drawn as their repr."""
    if not isinstance(value, str):
        raise error(f"{name} must be text (a str), not {quote(value)}.")
    return value


def read_regular_file(path, limit: int, *, error=DataError, cannot_read: str | None = "Cannot read {path}: {reason}.",
                      not_regular: str = "{path} is not a regular file.",
                      too_large: str = "{path} is larger than {limit:,} bytes.", missing: str | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read without blocking.

    A FIFO, a device or a folder is refused at once (a FIFO would hang, ``/dev/zero`` would fill
    memory), and so is a file over ``limit``. The messages are formats with ``{path}`` (quoted),
    ``{name}``, ``{limit}`` and, for ``cannot_read``, ``{reason}``; ``missing`` (when given) is
    used for a file that does not exist. With ``cannot_read=None`` the ``OSError`` is raised as it is.

    Example::

        raw = read_regular_file("colorData.json", 16 * 2**20, error=DataError,
                                not_regular="{path} is not a file. Give a colorData.json file.")
    """
    import stat

    words = {"path": quote(str(path)), "name": Path(path).name, "limit": limit}
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as problem:
        message = missing if isinstance(problem, FileNotFoundError) and missing else cannot_read
        if message is None:
            raise
        raise error(message.format(reason=problem.strerror, **words)) from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise error(not_regular.format(**words))
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise error(too_large.format(**words))
    return raw
