"""The arguments of buttons and sliders, checked when they are made, not when they are drawn.

A ``Button(None, 10, 10, "80", 30)`` used to fail frames later inside ``draw()``, in py5's own
words. These checks refuse it at the call with a py5ml error that names the argument.

Example::

    x, y, w, h = check_box(10, 10, 80, 30)            # numbers; a width below 0 is refused
    key = check_key("t")                               # one character, or None
"""

from __future__ import annotations

from .._checks import check_number, quote
from .._errors import ArgumentError

__all__ = ["check_box", "check_on_click", "check_key", "check_color", "plain"]


def check_box(x, y, w, h=None):
    """``(x, y, w, h)`` as numbers; ``w`` and ``h`` at least 0 (``h`` may be left out: None)."""
    box = (check_number(x, "x"), check_number(y, "y"), check_number(w, "w", low=0))
    return box + ((None if h is None else check_number(h, "h", low=0)),)


def check_on_click(on_click):
    if on_click is not None and not callable(on_click):
        raise ArgumentError(f"on_click must be a function (or None), not {quote(on_click)}.")
    return on_click


def check_key(key):
    if key is not None and not (isinstance(key, str) and len(key) == 1):
        raise ArgumentError(f"key must be one character such as 't' (or None), not {quote(key)}.")
    return key


def check_color(color):
    """(r, g, b) or (r, g, b, a) numbers from 0 to 255; None gives white."""
    if color is None:
        return (255, 255, 255)
    if not isinstance(color, (tuple, list)) or len(color) not in (1, 3, 4):
        raise ArgumentError(f"color must be (r, g, b) numbers from 0 to 255, not {quote(color)}.")
    return tuple(check_number(c, "color", low=0, high=255) for c in color)


def plain(number):
    """Whole numbers stay ints, so a 0..255 slider shows 127, not 127.0."""
    return int(number) if float(number).is_integer() else number
