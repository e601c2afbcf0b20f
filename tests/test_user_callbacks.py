"""Callbacks are called in the shape the sketch wrote them: (error, results), (results) or ()."""

import functools

import pytest

from py5ml.clock._user_callbacks import call_back, takes_error_first


def test_error_first_callback_gets_none_then_the_results():
    got = []

    def got_results(error, results):
        got.append((error, results))

    call_back(got_results, ["happy"])
    assert got == [(None, ["happy"])]


def test_error_first_callback_gets_the_error_instead_of_raising():
    got = []
    boom = ValueError("boom")
    call_back(lambda error, results: got.append((error, results)), error=boom)
    assert got == [(boom, None)]


def test_one_parameter_gets_the_results_and_an_error_is_raised_for_the_caller_to_report():
    got = []
    call_back(got.append, ["sad"])
    assert got == [["sad"]]
    with pytest.raises(ValueError, match="boom"):
        call_back(got.append, error=ValueError("boom"))
    assert got == [["sad"]]


def test_no_parameters_is_called_with_nothing():
    got = []
    call_back(lambda: got.append("done"), ["ignored"])
    assert got == ["done"]


def test_methods_partials_defaults_and_star_args():
    class Sketch:
        def got(self, error, results):
            return ("two", error, results)

    assert call_back(Sketch().got, 1) == ("two", None, 1)
    assert call_back(functools.partial(lambda a, error, results: (a, results), "x"), 2) == ("x", 2)
    assert call_back(lambda results, extra=0: results + extra, 3) == 3   # a default does not count
    assert call_back(lambda *args: args, 4) == (4,)                       # *args: just the results
    assert call_back(len, [1, 2]) == 2                                     # a builtin


def test_takes_error_first():
    assert takes_error_first(lambda error, results: None)
    assert not takes_error_first(lambda results: None)
    assert not takes_error_first(lambda: None)


def test_none_callback_reraises_an_error():
    assert call_back(None, 1) is None
    with pytest.raises(KeyError):
        call_back(None, error=KeyError("k"))
