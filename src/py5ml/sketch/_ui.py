"""Tiny buttons and sliders for py5 sketches: draw them each frame, pass them your mouse events.

Like the buttons ml5.js sketches make with p5.dom, but drawn on the canvas itself, so they show up
in screenshots and need no HTML. Each widget is a few py5 calls a frame, wrapped in
``push_style()``/``pop_style()`` so your own fill and stroke are left as they were. A dark
translucent panel with white text and a thin light outline keeps them readable on any background.
"""

from .._checks import check_number, check_text, quote
from .._errors import ArgumentError, DataError
from ._ui_checks import check_box, check_color, check_key, check_on_click, plain

DEFAULTS = {
    "panel": (20, 20, 28, 210),      # dark, translucent: readable on light and dark backgrounds
    "outline": (255, 255, 255, 110),
    "pressed": (90, 90, 110, 220),
    "highlight": (40, 120, 220, 220),
    "text": 255,
    "disabled_text": 150,
    "text_size": 14,
    "radius": 8,
    "slider_height": 36,
    "knob": 9,
}


def _sketch_or_current(s):
    if s is not None:
        return s
    import py5  # here, not at the top: importing py5 needs a display
    return py5.get_current_sketch()


class Button:
    """A rounded button that calls ``on_click()`` when clicked or when its ``key`` is typed.

    Args:
        label: the text on the button; a key shortcut is shown after it, like "Train [t]".
        x, y, w, h: its top-left corner and size, in pixels.
        on_click: a function with no arguments, called on each click.
        key: a one-letter shortcut (case-insensitive), routed by ``UI.key_pressed``.

    Set ``is_enabled = False`` to grey it out and ignore clicks; ``is_highlighted = True`` to
    show it in blue (e.g. while training runs).

    Example::

        import py5
        from py5ml import UI, Button

        ui = UI(Button("Hello", 20, 20, 120, 36, key="h", on_click=lambda: print("hello!")))

        def setup():
            py5.size(200, 100)

        def draw():
            py5.background(255)
            ui.draw()

        def mouse_pressed():
            ui.mouse_pressed(py5.mouse_x, py5.mouse_y)

        def key_pressed():
            ui.key_pressed(py5.key)

        py5.run_sketch()
    """

    def __init__(self, label, x, y, w, h, *, on_click=None, key=None):
        self.label = check_text(label, "label")
        self.x, self.y, self.w, self.h = check_box(x, y, w, h)
        self.on_click = check_on_click(on_click)
        self.key = check_key(key)
        self.is_enabled = True
        self.is_highlighted = False
        self.is_pressed = False

    @property
    def text(self):
        """The text drawn on the button: the label plus its shortcut, e.g. "Train [t]"."""
        return f"{self.label} [{self.key}]" if self.key else self.label

    def contains(self, mx, my):
        """Whether the point (mx, my) is on the button."""
        return self.x <= mx <= self.x + self.w and self.y <= my <= self.y + self.h

    def click(self):
        """Call ``on_click()`` as if the button were clicked; does nothing when disabled."""
        if self.is_enabled and self.on_click is not None:
            self.on_click()

    def draw(self, s=None):
        """Draw the button on sketch ``s`` (default: the current sketch)."""
        s = _sketch_or_current(s)
        s.push_style()
        s.rect_mode(s.CORNER)  # whatever the sketch uses
        s.stroke(*DEFAULTS["outline"])
        s.fill(*self._fill())
        s.rect(self.x, self.y, self.w, self.h, DEFAULTS["radius"])
        s.fill(DEFAULTS["text"] if self.is_enabled else DEFAULTS["disabled_text"])
        s.text_align(s.CENTER, s.CENTER)
        s.text_size(DEFAULTS["text_size"])
        s.text(self.text, self.x + self.w / 2, self.y + self.h / 2 - 1)
        s.pop_style()

    def _fill(self):
        if self.is_pressed and self.is_enabled:
            return DEFAULTS["pressed"]
        return DEFAULTS["highlight"] if self.is_highlighted else DEFAULTS["panel"]


class Slider:
    """A horizontal slider with a label that shows its value, like "R: 120".

    Args:
        label: the name shown before the value.
        x, y, w: the top-left corner and width of the slider; it is 36 pixels tall.
        low, high: the smallest and largest value.
        value: the starting value.
        step: values snap to ``low + k * step``; an int step keeps values ints.
        color: the knob and filled-track color, e.g. ``(255, 0, 0)`` for an R slider.

    Example::

        import py5
        from py5ml import UI, Slider

        ui = UI()
        r = ui.add(Slider("R", 20, 20, 200, color=(255, 60, 60)))

        def setup():
            py5.size(300, 100)

        def draw():
            py5.background(r.value, 100, 150)
            ui.draw()

        def mouse_pressed():
            ui.mouse_pressed(py5.mouse_x, py5.mouse_y)

        def mouse_dragged():
            ui.mouse_dragged(py5.mouse_x, py5.mouse_y)

        py5.run_sketch()
    """

    def __init__(self, label, x, y, w, *, low=0, high=255, value=127, step=1, color=None):
        label = check_text(label, "label")
        low, high = check_number(low, "low"), check_number(high, "high")
        if high <= low:
            raise DataError(f"Slider {quote(label)}: high ({high:g}) must be more than low ({low:g}).")
        self.label, (self.x, self.y, self.w, _) = label, check_box(x, y, w)
        self.low, self.high, self.step = plain(low), plain(high), plain(check_number(step, "step", low=0))
        self.color = check_color(color)
        self.h = DEFAULTS["slider_height"]
        self.value = value

    @property
    def value(self):
        """The current value, kept between ``low`` and ``high`` and snapped to ``step``."""
        return self._value

    @value.setter
    def value(self, v):
        v = min(max(check_number(v, "value"), self.low), self.high)
        if self.step:
            v = self.low + round((v - self.low) / self.step) * self.step
            v = min(v, self.high)
        self._value = int(round(v)) if _all_ints(self.low, self.step) else float(v)

    @property
    def text(self):
        """The label drawn above the track, e.g. "R: 120"."""
        shown = self.value if isinstance(self.value, int) else f"{self.value:.{_decimals(self.step)}f}"
        return f"{self.label}: {shown}"

    def contains(self, mx, my):
        """Whether (mx, my) is on the slider (its panel, with a little margin for the knob)."""
        pad = DEFAULTS["knob"]
        return self.x - pad <= mx <= self.x + self.w + pad and self.y <= my <= self.y + self.h

    def set_from_mouse(self, mx):
        """Move the knob to the mouse's x position."""
        self.value = self.low + (mx - self.x) / self.w * (self.high - self.low)

    def knob_x(self):
        """The knob's x position on the sketch for the current value."""
        return self.x + (self.value - self.low) / (self.high - self.low) * self.w

    def draw(self, s=None):
        """Draw the slider on sketch ``s`` (default: the current sketch)."""
        s = _sketch_or_current(s)
        knob_x, track_y, pad = self.knob_x(), self.y + 26, DEFAULTS["knob"] + 3
        s.push_style()
        s.rect_mode(s.CORNER)
        s.stroke(*DEFAULTS["outline"])
        s.fill(*DEFAULTS["panel"])
        s.rect(self.x - pad, self.y, self.w + 2 * pad, self.h, DEFAULTS["radius"])
        s.stroke_weight(4)
        s.stroke(255, 255, 255, 90)
        s.line(self.x, track_y, self.x + self.w, track_y)
        s.stroke(*self.color)
        s.line(self.x, track_y, knob_x, track_y)
        s.stroke_weight(2)
        s.stroke(255)
        s.fill(*self.color)
        s.ellipse_mode(s.CENTER)
        s.circle(knob_x, track_y, 2 * DEFAULTS["knob"] - 2)
        s.fill(DEFAULTS["text"])
        s.text_align(s.LEFT, s.CENTER)
        s.text_size(DEFAULTS["text_size"])
        s.text(self.text, self.x, self.y + 10)
        s.pop_style()


def _all_ints(*values):
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _decimals(step):
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


class UI:
    """A collection of widgets that draws them all and routes mouse and key events to them.

    Call ``ui.draw()`` at the end of ``draw()`` (so the widgets sit on top), and pass events
    from ``mouse_pressed()``, ``mouse_dragged()``, ``mouse_released()`` and ``key_pressed()``.
    ``mouse_pressed`` and ``key_pressed`` return True when a widget used the event, so the
    sketch can ignore clicks meant for a button.

    Example::

        import py5
        from py5ml import UI, Button, Slider

        ui = UI()
        size = ui.add(Slider("size", 20, 20, 160, low=5, high=80, value=30))
        ui.add(Button("Dot", 20, 70, 100, 32, key="d", on_click=lambda: print("dot!")))

        def setup():
            py5.size(300, 200)

        def draw():
            py5.background(240)
            py5.circle(220, 120, size.value)
            ui.draw()

        def mouse_pressed():
            ui.mouse_pressed(py5.mouse_x, py5.mouse_y)

        def mouse_dragged():
            ui.mouse_dragged(py5.mouse_x, py5.mouse_y)

        def mouse_released():
            ui.mouse_released()

        def key_pressed():
            ui.key_pressed(py5.key)

        py5.run_sketch()
    """

    def __init__(self, *widgets):
        self.widgets = [_widget(w) for w in widgets]
        self.active = None  # the slider being dragged, or the button held down

    def add(self, widget):
        """Add a widget and return it, so ``r = ui.add(Slider(...))`` keeps a handle."""
        _widget(widget)
        self.widgets.append(widget)
        return widget

    def draw(self, s=None):
        """Draw every widget, in the order they were added."""
        s = _sketch_or_current(s)
        for widget in self.widgets:
            widget.draw(s)

    def mouse_pressed(self, mx, my):
        """Click the button or grab the slider under (mx, my); True if one was there."""
        for widget in reversed(self.widgets):  # the last drawn is on top
            if widget.contains(mx, my):
                self.active = widget
                if isinstance(widget, Slider):
                    widget.set_from_mouse(mx)
                elif widget.is_enabled:
                    widget.is_pressed = True
                    widget.click()
                return True
        return False

    def mouse_dragged(self, mx, my):
        """Move the grabbed slider's knob with the mouse."""
        if isinstance(self.active, Slider):
            self.active.set_from_mouse(mx)

    def mouse_released(self):
        """Let go of whatever was grabbed."""
        if isinstance(self.active, Button):
            self.active.is_pressed = False
        self.active = None

    def key_pressed(self, key):
        """Click the enabled button whose shortcut is ``key`` (case-insensitive); True if any."""
        typed = str(key).lower()
        for widget in self.widgets:
            if isinstance(widget, Button) and widget.key and widget.key.lower() == typed and widget.is_enabled:
                widget.click()
                return True
        return False


def _widget(widget):
    if not isinstance(widget, (Button, Slider)):
        raise ArgumentError(f"UI holds Button and Slider objects, not {quote(widget)}.")
    return widget
