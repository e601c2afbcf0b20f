"""Buttons and sliders: event routing (plain Python) and how they look (a real sketch under Xvfb)."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from py5ml.sketch._ui import UI, Button, Slider

SRC = Path(__file__).resolve().parent.parent / "src"


def test_slider_snaps_and_clamps():
    s = Slider("R", 10, 10, 200)
    assert s.value == 127 and isinstance(s.value, int) and s.text == "R: 127"
    s.value = 300
    assert s.value == 255
    s.value = -4.6
    assert s.value == 0
    f = Slider("lr", 0, 0, 100, low=0.0, high=1.0, value=0.123, step=0.05)
    assert f.value == pytest.approx(0.1) and f.text == "lr: 0.10"


def test_slider_follows_the_mouse():
    ui = UI()
    s = ui.add(Slider("G", 100, 50, 200, value=0))
    assert ui.mouse_pressed(200, 70) and s.value == 128
    ui.mouse_dragged(150, 999)  # dragging keeps working off the slider
    assert s.value == 64
    ui.mouse_released()
    ui.mouse_dragged(300, 70)
    assert s.value == 64


def test_bad_slider_range_says_what_to_do():
    with pytest.raises(ValueError, match=r"Slider 'x': high \(0\) must be more than low \(5\)"):
        Slider("x", 0, 0, 100, low=5, high=0)


def test_button_clicks_and_keys():
    clicks = []
    ui = UI(Button("Train", 10, 10, 100, 30, key="t", on_click=lambda: clicks.append("train")))
    assert ui.widgets[0].text == "Train [t]"
    assert not ui.mouse_pressed(200, 200) and clicks == []
    assert ui.mouse_pressed(50, 20) and clicks == ["train"] and ui.widgets[0].is_pressed
    ui.mouse_released()
    assert not ui.widgets[0].is_pressed
    assert ui.key_pressed("T") and clicks == ["train", "train"]
    assert not ui.key_pressed("x") and not ui.key_pressed(65535)


def test_disabled_button_ignores_clicks_but_takes_the_event():
    clicks = []
    b = Button("Save", 0, 0, 50, 20, key="s", on_click=lambda: clicks.append(1))
    b.is_enabled = False
    ui = UI(b)
    assert ui.mouse_pressed(10, 10) and not ui.key_pressed("s") and clicks == []


SKETCH = """
import json, sys
sys.path.insert(0, {src!r})
import py5
from py5ml.sketch._ui import UI, Button, Slider

clicks = []
ui = UI()
red = ui.add(Slider("R", 40, 30, 200, color=(255, 0, 0)))
train = ui.add(Button("Train", 40, 100, 140, 40, key="t", on_click=lambda: clicks.append("train")))
dark = ui.add(Button("Predict", 230, 100, 140, 40, key="p"))
off = ui.add(Button("Save", 40, 170, 140, 40))
off.is_enabled = False
hi = ui.add(Button("Busy", 230, 170, 140, 40))
hi.is_highlighted = True
green = ui.add(Slider("G", 230, 230, 140, value=200, color=(0, 200, 0)))

def setup():
    py5.size(400, 280)
    ui.mouse_pressed(40 + 150, 50)   # grab the R slider at 3/4
    ui.mouse_dragged(40 + 50, 10)    # drag to 1/4, even above the slider
    ui.mouse_released()
    ui.mouse_pressed(60, 120)        # click Train
    ui.mouse_released()
    ui.key_pressed("T")              # and its shortcut
    ui.key_pressed("q")              # no such shortcut

def draw():
    py5.background(255)
    py5.fill(0)
    py5.no_stroke()
    py5.rect(200, 0, 200, 280)       # half white, half black: widgets must read on both
    py5.fill(255, 0, 255)
    py5.stroke(0, 255, 0)
    ui.draw()
    py5.rect(0, 260, 20, 20)         # the sketch's own style survives ui.draw()
    if py5.frame_count == 3:
        py5.save_frame({shot!r}, use_thread=False)
        print(json.dumps({{"red": red.value, "clicks": clicks, "knob_x": red.knob_x()}}))
        py5.exit_sketch()

py5.run_sketch()
"""


@pytest.fixture(scope="module")
def ui_sketch(tmp_path_factory, display):
    """Run the sketch once for all the pixel tests (``run_py`` is per-test, so not used here).

    Returns (the JSON it printed, the screenshot as an int RGB array, the screenshot's path).
    """
    folder = tmp_path_factory.mktemp("ui")
    shot = folder / "ui.png"
    script = folder / "ui_sketch.py"
    script.write_text(textwrap.dedent(SKETCH.format(src=str(SRC), shot=str(shot))))
    proc = subprocess.run([sys.executable, str(script)], env=dict(os.environ, DISPLAY=display),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result, np.asarray(Image.open(shot).convert("RGB")).astype(int), shot


def test_events_in_a_real_sketch(ui_sketch):
    result, _, _ = ui_sketch
    assert result["red"] == 64  # 1/4 of 255, snapped to a whole number
    assert result["clicks"] == ["train", "train"]


def test_knob_differs_from_track(ui_sketch):
    result, pixels, _ = ui_sketch
    track_y = 30 + 26
    knob = pixels[track_y, round(result["knob_x"])]
    empty_track = pixels[track_y, 200]
    assert tuple(knob) == (255, 0, 0)
    assert np.abs(knob - empty_track).sum() > 100


def test_button_text_is_white_on_dark_panel(ui_sketch):
    _, pixels, _ = ui_sketch
    for x0 in (40, 230):  # on the white half and on the black half
        region = pixels[105:135, x0 + 10:x0 + 130]
        white = (region.min(axis=2) > 220).sum()
        dark = (region.max(axis=2) < 100).sum()
        assert white > 40, f"too little white text in the button at x={x0}"
        assert dark > region.shape[0] * region.shape[1] // 2, "the panel should be mostly dark"


def test_button_outline_shows_on_black(ui_sketch):
    _, pixels, _ = ui_sketch
    edge = pixels[100, 300]  # top edge of the Predict button, on the black half
    assert edge.min() > 60


def test_highlighted_button_is_blue_and_disabled_text_is_grey(ui_sketch):
    _, pixels, _ = ui_sketch
    hi = pixels[175, 240]
    assert hi[2] > hi[0] + 60
    text = pixels[175:205, 50:170]
    assert (text.min(axis=2) > 220).sum() == 0  # no bright-white text on a disabled button
    assert (text.min(axis=2) > 110).sum() > 20  # but grey text is there


def test_ui_restores_the_sketch_style(ui_sketch):
    _, pixels, _ = ui_sketch
    assert tuple(pixels[270, 10]) == (255, 0, 255)
