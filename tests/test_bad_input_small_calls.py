"""Small public calls refuse bad arguments at the call with a py5ml error that says what to do."""

import numpy as np
import pytest

import py5ml


@pytest.mark.parametrize("layer", [np.zeros(3), "", 5, "conv"])
def test_feature_extractor_layer_is_checked_at_the_call(layer):
    with pytest.raises(py5ml.BackboneError, match=r"Unknown layer .*Use layer='pooled' or layer='spatial'"):
        py5ml.feature_extractor("MobileNet", weights=None, layer=layer)


def test_lambda_callback_names_the_events():
    with pytest.raises(py5ml.DataError, match=r"LambdaCallback got \['on_epoc_end'\]; the events are .*on_epoch_end"):
        py5ml.LambdaCallback(on_epoc_end=print)


@pytest.mark.parametrize("args, message", [
    (("3",), "frames must be a whole number"),
    ((0,), "frames must be"),
    ((10, "out\0.png"), "screenshot"),
])
def test_finish_after_checks_its_arguments(args, message):
    with pytest.raises(py5ml.DataError, match=message):
        py5ml.finish_after(*args)


def test_finish_after_wants_a_function_to_call():
    with pytest.raises(py5ml.DataError, match="on_finish must be a function"):
        py5ml.finish_after(10, on_finish=5)
