"""The shared argument checks: what they accept, and the messages they refuse with."""

import math
from pathlib import Path

import pytest

from py5ml import DataError, ModelFileError
from py5ml._checks import check_choice, check_int, check_label, check_number, check_path, quote


def test_quote_cuts_long_input():
    assert len(quote("x" * 15_000_000)) <= 80
    assert quote(list(range(1000))) == "[0, 1, 2, 3, 4, 5, 6, 7, … 1000 items]"
    assert quote("ok") == "'ok'"


def test_quote_survives_a_hostile_repr():
    class Bad:
        def __repr__(self):
            raise RuntimeError("no")

    assert quote(Bad()) == "<Bad>"


@pytest.mark.parametrize("value", [0, -3, "10", 10**30, True, 2.5, math.nan, None])
def test_check_int_refuses(value):
    with pytest.raises(DataError, match="epochs must be"):
        check_int(value, "epochs", low=1)


def test_check_int_accepts_whole_floats_and_numpy_ints():
    import numpy as np

    assert check_int(10.0, "epochs", low=1) == 10
    assert check_int(np.int64(7), "epochs", low=1) == 7


@pytest.mark.parametrize("value", ["0.1", math.inf, math.nan, 10**400, True, None, 0.0, 1.0])
def test_check_number_refuses(value):
    with pytest.raises(DataError, match="validation_split must be"):
        check_number(value, "validation_split", low=0, high=1, low_open=True, high_open=True)


def test_check_number_message_names_the_range():
    with pytest.raises(DataError, match=r"in \(0, 1\), not 1.5"):
        check_number(1.5, "validation_split", low=0, high=1, low_open=True, high_open=True)


@pytest.mark.parametrize("value", [b"model.json", 3, None, "", "a\0b", "x" * 300, "a/" * 3000])
def test_check_path_refuses(value):
    with pytest.raises(ModelFileError):
        check_path(value, "path", error=ModelFileError)


def test_check_path_accepts_str_and_pathlike():
    assert check_path("out/model.json") == Path("out/model.json")
    assert check_path(Path("a")) == Path("a")


def test_check_choice():
    assert check_choice("sgd", "optimizer", ["sgd", "adam"]) == "sgd"
    with pytest.raises(DataError, match="optimizer must be one of 'sgd', 'adam', not 'rmsprop'"):
        check_choice("rmsprop", "optimizer", ["sgd", "adam"])


@pytest.mark.parametrize("value", ["", "  ", None, True, ["a", "b"], {"label": "a"}, [], math.nan])
def test_check_label_refuses(value):
    with pytest.raises(DataError, match="non-empty string"):
        check_label(value)


def test_check_label_accepts_ml5_shapes():
    assert check_label("happy") == "happy"
    assert check_label(["happy"]) == "happy"
    assert check_label(3) == "3"
