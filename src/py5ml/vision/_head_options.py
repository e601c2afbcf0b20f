"""The settings of a feature extractor's trainable head, in ml5's names (snake_case).

ml5 writes ``ml5.featureExtractor("MobileNet", {numLabels: 3, epochs: 20, batchSize: 0.4 ...})``;
py5ml takes the same settings as keywords: ``feature_extractor("MobileNet", num_labels=3,
epochs=20)``, or on the head itself: ``.classification(video, epochs=30)``. ml5's camelCase
spelling is refused with the py5ml name, and every value is checked at the call.

Example::

    extractor = py5ml.feature_extractor("MobileNet", num_labels=3, epochs=30, learning_rate=0.0001)
    classifier = extractor.classification(video)    # uses those settings
"""

from __future__ import annotations

import numbers

from .._checks import check_choice, check_int, check_number, quote
from .._errors import DataError

__all__ = ["HEAD_DEFAULTS", "check_head_options"]

# ml5 0.x's featureExtractor defaults, but a batch of 16 examples (ml5's batchSize is a fraction).
HEAD_DEFAULTS = {"num_labels": None, "hidden_units": 100, "epochs": 20, "batch_size": 16,
                 "learning_rate": 0.001, "optimizer": "adam"}
CAMEL_CASE = {"numLabels": "num_labels", "hiddenUnits": "hidden_units", "batchSize": "batch_size",
              "learningRate": "learning_rate"}
MAX_UNITS = 65_536  # a head wider than this is a typo, and would take gigabytes


def check_head_options(options: dict, *, others=()) -> dict:
    """The head settings in ``options``, checked; ``others`` are names the caller handles itself.

    Raises:
        DataError: ml5's camelCase spelling ("use num_labels=..."), an unknown name, or a value
            out of range ("epochs must be at least 1, not 0.").
    """
    for name in options:
        if name in CAMEL_CASE:
            raise DataError(f"{name} is ml5's spelling: use {CAMEL_CASE[name]}=... in py5ml.")
    unknown = sorted(set(options) - set(HEAD_DEFAULTS) - set(others))
    if unknown:
        known = ", ".join(sorted({*HEAD_DEFAULTS, *others}))
        raise DataError(f"Unknown option {quote(unknown[0])}; the options are: {known}.")
    return {name: _check(name, value) for name, value in options.items() if name in HEAD_DEFAULTS}


def _check(name, value):
    if name == "num_labels":
        return None if value is None else check_int(value, name, low=2, high=10_000)
    if name == "hidden_units":
        return check_int(value, name, low=1, high=MAX_UNITS)
    if name == "epochs":
        return check_int(value, name, low=1, high=1_000_000)
    if name == "batch_size":
        if isinstance(value, float) and 0 < value < 1:
            raise DataError(f"batch_size={value} is ml5's fraction of the examples; py5ml counts examples: "
                            "use batch_size=16.")
        return check_int(value, name, low=1)
    if name == "learning_rate":
        return check_number(value, name, low=0, low_open=True, high=10)
    if not isinstance(value, str) and not isinstance(value, numbers.Number):
        return value  # a torch optimizer the user made: fit() checks it
    return check_choice(value, name, ("adam", "sgd", "rmsprop"))
