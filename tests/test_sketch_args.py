"""--frames / --screenshot: flag parsing, and real sketches that stop and save by themselves."""

import argparse
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from py5ml.sketch._sketch_args import parse_sketch_args

SRC = Path(__file__).resolve().parent.parent / "src"

SKETCH = """
import sys
sys.path.insert(0, {src!r})
import py5
from py5ml.sketch._sketch_args import finish_after, parse_sketch_args

args = parse_sketch_args("test sketch", add_arguments=lambda p: p.add_argument("--stop-at", type=int))

def setup():
    py5.size(320, 240{renderer})
    finish_after(args.frames, args.screenshot, on_finish=lambda: print("finished at", py5.frame_count))

def draw():
    py5.background(200, 30, 30)
    py5.fill(255)
    py5.circle(160, 120, 100)
    if args.stop_at and py5.frame_count >= args.stop_at:
        py5.exit_sketch()

py5.run_sketch()
print("run_sketch returned")
"""


def _sketch(tmp_path, renderer=""):
    path = tmp_path / "sketch.py"
    path.write_text(textwrap.dedent(SKETCH.format(src=str(SRC), renderer=renderer)))
    return path


def test_defaults_run_forever_without_screenshot():
    args = parse_sketch_args(argv=[])
    assert args.frames is None and args.screenshot is None


def test_frames_and_screenshot_parse():
    args = parse_sketch_args("demo", argv=["--frames", "5", "--screenshot", "out/x.png"])
    assert args.frames == 5 and args.screenshot == Path("out/x.png")


def test_custom_flags_via_add_arguments():
    def add(parser):
        parser.add_argument("--epochs", type=int, default=10)
        parser.add_argument("--offline", action="store_true")
    args = parse_sketch_args(add_arguments=add, argv=["--epochs", "3", "--offline", "--frames", "2"])
    assert (args.epochs, args.offline, args.frames) == (3, True, 2)


@pytest.mark.parametrize("bad", ["0", "-3", "ten"])
def test_bad_frames_say_what_to_do(bad, capsys):
    with pytest.raises(SystemExit):
        parse_sketch_args(argv=["--frames", bad])
    assert "is not a whole number of frames; try --frames 60" in capsys.readouterr().err


def test_unknown_flag_is_an_error(capsys):
    with pytest.raises(SystemExit):
        parse_sketch_args(argv=["--nope"])
    assert "unrecognized arguments: --nope" in capsys.readouterr().err


def test_returns_a_namespace():
    assert isinstance(parse_sketch_args(argv=[]), argparse.Namespace)


def test_sketch_stops_after_frames_and_saves_screenshot(tmp_path, run_py):
    shot = tmp_path / "deep" / "dir" / "out.png"
    proc = run_py(_sketch(tmp_path), "--frames", "5", "--screenshot", shot, timeout=120)
    assert proc.returncode == 0
    assert "finished at 5" in proc.stdout and "run_sketch returned" in proc.stdout
    image = Image.open(shot).convert("RGB")
    assert image.size == (320, 240)
    assert image.getpixel((5, 5)) == (200, 30, 30) and image.getpixel((160, 120)) == (255, 255, 255)


def test_screenshot_saved_when_sketch_exits_on_its_own(tmp_path, run_py):
    shot = tmp_path / "exit.png"
    proc = run_py(_sketch(tmp_path), "--stop-at", "3", "--screenshot", shot, timeout=120)
    assert "finished at" in proc.stdout
    assert Image.open(shot).size == (320, 240)


def test_p2d_sketch_stops_too(tmp_path, run_py):
    shot = tmp_path / "p2d.png"
    run_py(_sketch(tmp_path, renderer=", py5.P2D"), "--frames", "3", "--screenshot", shot, timeout=120)
    assert Image.open(shot).convert("RGB").getpixel((5, 5)) == (200, 30, 30)


def test_flags_come_from_py5ml_args_when_a_launcher_owns_the_command_line(monkeypatch):
    # py5-live-coding sketch.py takes no flags for the sketch: $PY5ML_ARGS carries them.
    monkeypatch.setattr("sys.argv", ["py5-live-coding", "sketch.py"])
    monkeypatch.setenv("PY5ML_ARGS", "--frames 600 --screenshot 'out/my shot.png'")
    args = parse_sketch_args()
    assert args.frames == 600 and args.screenshot == Path("out/my shot.png")
