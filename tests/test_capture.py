"""Capture sources: synthetic scene, image folder, video file, camera fallback, drawing in py5."""

import textwrap
import time

import numpy as np
import pytest
from PIL import Image

from py5ml.vision._capture import Capture, parse_source
from py5ml._errors import Py5mlError
from py5ml.vision._synthetic_scene import SyntheticScene


def red_pixels(frame):
    r, g, b = (frame[..., i].astype(int) for i in range(3))
    return int(((r > 180) & (g < 90) & (b < 90)).sum())


def test_sources_are_named_like_the_flags():
    assert parse_source("camera") == ("camera", 0)
    assert parse_source("camera:2") == ("camera", 2) == parse_source(2)
    assert parse_source("video:clip.mp4") == ("video", "clip.mp4")
    assert parse_source("images:some/dir") == ("images", "some/dir")
    assert parse_source("synthetic") == ("synthetic", None)
    with pytest.raises(Py5mlError, match="Unknown source 'webcam'"):
        parse_source("webcam")


def test_the_synthetic_figure_holds_a_balloon_only_when_told():
    scene = SyntheticScene(320, 240)
    empty = scene.render(1.0)
    scene.toggle()
    holding = scene.render(1.0)
    assert red_pixels(empty) < 20 < 500 < red_pixels(holding)
    assert not np.array_equal(scene.render(1.0), scene.render(3.0))  # the figure moves


def test_capture_delivers_frames_of_its_size_and_a_key_toggles_the_balloon():
    video = Capture("synthetic", width=160, height=120)
    try:
        assert video.read().shape == (120, 160, 3) and video.is_synthetic and video.message is None
        video.toggle()
        assert video.holding and red_pixels(video.read()) > 100
    finally:
        video.close()


def test_no_camera_falls_back_to_the_synthetic_scene_and_says_so():
    video = Capture("camera:9")
    try:
        assert video.is_synthetic
        assert "Camera 9 could not be opened" in video.message and "synthetic" in video.message
    finally:
        video.close()
    with pytest.raises(Py5mlError, match="Camera 9 could not be opened.*--source synthetic"):
        Capture("camera:9", fallback=None)


def test_an_image_folder_is_a_slideshow(tmp_path):
    for i, color in enumerate([(255, 0, 0), (0, 0, 255)]):
        Image.new("RGB", (64, 48), color).save(tmp_path / f"{i}.png")
    video = Capture(f"images:{tmp_path}", width=32, height=24, fps=50)
    try:
        seen = set()
        end = time.monotonic() + 3
        while len(seen) < 2 and time.monotonic() < end:
            seen.add(tuple(video.read()[0, 0]))
            time.sleep(0.01)
        assert seen == {(255, 0, 0), (0, 0, 255)} and video.read().shape == (24, 32, 3)
    finally:
        video.close()


def test_a_video_file_plays_and_loops(tmp_path):
    cv2 = pytest.importorskip("cv2")
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), (0, 200, 0), np.uint8))  # BGR green
    writer.release()
    video = Capture(f"video:{path}", width=64, height=48)
    try:
        time.sleep(0.4)  # long enough to loop
        frame = video.read()
        assert frame.shape == (48, 64, 3) and frame[..., 1].mean() > 150 and frame[..., 0].mean() < 60
    finally:
        video.close()


def test_missing_files_are_named(tmp_path):
    with pytest.raises(Py5mlError, match="Image folder .* not found"):
        Capture(f"images:{tmp_path / 'nope'}", fallback=None)
    with pytest.raises(Py5mlError, match="Video file .* not found"):
        Capture(f"video:{tmp_path / 'nope.mp4'}", fallback=None)


DRAW_SKETCH = textwrap.dedent("""
    import sys
    import numpy as np
    import py5
    from py5ml.vision._capture import Capture
    from py5ml.vision._image_input import to_rgb_array

    out = sys.argv[1]
    video = Capture("synthetic")

    def setup():
        py5.size(320, 240)
        video.holding = True

    def draw():
        video.draw(0, 0)
        if py5.frame_count == 30:
            frame = video.read()
            image = py5.create_image_from_numpy(frame, "RGB")
            print("py5 image matches:", np.array_equal(to_rgb_array(image), frame))  # py5 images are inputs
            py5.save_frame(out, use_thread=False)
            video.close()
            py5.exit_sketch()

    py5.run_sketch()
""")


def test_capture_draws_into_a_real_py5_sketch(run_py, tmp_path):
    shot = tmp_path / "capture.png"
    sketch = tmp_path / "draw_capture.py"  # py5 reads setup()'s source, so a file, not -c
    sketch.write_text(DRAW_SKETCH)
    proc = run_py(sketch, shot, timeout=120)
    assert "py5 image matches: True" in proc.stdout
    frame = np.asarray(Image.open(shot).convert("RGB"))
    assert frame.shape == (240, 320, 3) and red_pixels(frame) > 300  # the balloon, drawn by py5
