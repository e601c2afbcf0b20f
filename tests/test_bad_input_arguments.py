"""Constructors and helpers refuse arguments of the wrong kind with a py5ml error that says what to pass."""

import numpy as np
import pytest

import py5ml
from py5ml import ArgumentError, DataError, ModelFileError, Py5mlError


@pytest.mark.parametrize("make, error, message", [
    (lambda: py5ml.LossGraph("10", 10, 320, 160), DataError, r"x must be a number, not '10'\."),
    (lambda: py5ml.LossGraph(10, 10, -5, 160), DataError, r"w must be more than 0, not -5\.0\."),
    (lambda: py5ml.Slider("R", 10, 10, -1), DataError, r"w must be at least 0, not -1\.0\."),
    (lambda: py5ml.LossGraph(title=["loss"]), DataError, r"title must be text \(a str\), not \['loss'\]\."),
    (lambda: py5ml.LossGraph(max_points=[512]), DataError, r"max_points must be an even number ≥ 4, like 512, not \[512\]\."),
    (lambda: py5ml.FrameBudget("60"), DataError, r"fps must be a number, not '60'\."),
    (lambda: py5ml.FrameBudget(0), DataError, r"fps must be in \(0, 1000\], not 0\.0\."),
    (lambda: py5ml.Slider("R", 10, 10, 200, low=None), DataError, r"low must be a number, not None\."),
    (lambda: py5ml.Slider("R", 10, 10, 200, low=5, high=1), DataError, r"Slider 'R': high \(1\) must be more than low \(5\)\."),
    (lambda: py5ml.Slider("R", 10, 10, 200, value=np.zeros(3)), DataError, r"value must be a number, not array"),
    (lambda: py5ml.Slider("R", 10, 10, 200, color=(1, 2)), ArgumentError, r"color must be \(r, g, b\) numbers from 0 to 255"),
    (lambda: py5ml.Button(None, 10, 10, 80, 30), DataError, r"label must be text \(a str\), not None\."),
    (lambda: py5ml.Button("Train", 10, 10, 80, 30, on_click="train"), ArgumentError, r"on_click must be a function \(or None\), not 'train'\."),
    (lambda: py5ml.Button("Train", 10, 10, 80, 30, key="train"), ArgumentError, r"key must be one character such as 't' \(or None\), not 'train'\."),
    (lambda: py5ml.Capture({"camera": 1}), ArgumentError, r"source must be text such as 'camera' or 'images:DIR', not \{'camera': 1\}\."),
    (lambda: py5ml.Capture("camera:" + "9" * 400), Py5mlError, r"Unknown camera '9{70,}…: use camera:0, camera:1"),
    (lambda: py5ml.Capture("images:" + "x" * 5000), Py5mlError, r"The images path is too long for the file system: 'x{78}…\. Use a shorter name\."),
    (lambda: py5ml.Capture("video:a\0b"), Py5mlError, r"The video path contains a NUL byte: 'a\\x00b'\. Give a plain file path\."),
    (lambda: py5ml.Capture("synthetic", width="wide"), DataError, r"width must be a whole number, like width=8, not 'wide'\."),
    (lambda: py5ml.Capture("synthetic", fps=float("inf")), DataError, r"fps must be a finite number, not inf\."),
    (lambda: py5ml.start_task("train"), ArgumentError, r"start_task\(\) needs a coroutine, like start_task\(train\(\)\)"),
    (lambda: py5ml.check_input_shape(5, (576,), "x"), ModelFileError, r"check_input_shape needs a LoadedModel \(from load_model\), not 5\."),
    (lambda: py5ml.UI(py5ml.Button("a", 0, 0, 9, 9), "Train"), ArgumentError, r"UI holds Button and Slider objects, not 'Train'\."),
    (lambda: py5ml.save_model([1, 2], "out", input_shape=(3,)), ModelFileError, r"model must be a torch\.nn\.Sequential, not \[1, 2\]\."),
    (lambda: py5ml.save_model(__import__("torch").nn.Sequential(), "out", input_shape=(3,), metadata=[("a", 1)]),
     ModelFileError, r"metadata must be a dict such as \{'labels': \['red', 'blue'\]\}, not \[\('a', 1\)\]\."),
    (lambda: py5ml.feature_extractor("MobileNet", weights=None, device=3.5), Py5mlError, r'device must be "auto", "cpu" or "cuda", not 3\.5\.'),
    (lambda: py5ml.feature_extractor(["MobileNet"]), Py5mlError, r"Unknown backbone \['MobileNet'\] \(version None\)\. Use 'MobileNet'"),
    (lambda: py5ml.feature_extractor("MobileNet", version=np.zeros(2)), Py5mlError, r"Unknown backbone 'MobileNet' \(version array"),
    (lambda: py5ml.image_classifier(weird=1), ArgumentError, r"image_classifier\(\) got unknown options \['weird'\]"),
])
def test_wrong_kinds_of_argument_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_huge_int_label_and_examples_that_are_not_a_list(tmp_path):
    from py5ml._checks import check_label

    with pytest.raises(DataError, match=r"A label must be a non-empty string such as 'happy', not 1000000000000000"):
        check_label(10**400)
    assert check_label(3) == "3" and check_label(2.0) == "2"
    with pytest.raises(DataError, match=r'examples must be a list like \[\{"xs": \{\.\.\.\}, "ys": \{\.\.\.\}\}\], not None\.'):
        py5ml.write_data(None, tmp_path / "data.json")
    assert list(tmp_path.iterdir()) == []


def test_argument_error_is_still_a_type_error_and_a_py5ml_error():
    assert issubclass(ArgumentError, TypeError) and issubclass(ArgumentError, Py5mlError)


def test_good_arguments_still_work():
    slider = py5ml.Slider("R", 10, 10, 200, low=0, high=255, value=127.6, step=1)
    assert slider.value == 128 and isinstance(slider.low, int)
    assert py5ml.LossGraph(20, 20.5, 360, 160, title="loss").w == 360
    assert py5ml.Button("Train", 10, 10, 80, 30, key="t").text == "Train [t]"
