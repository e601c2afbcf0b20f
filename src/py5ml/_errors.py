"""The error types py5ml raises. Every message says what went wrong and what to do next."""


class Py5mlError(Exception):
    """Base class of every error py5ml raises on purpose."""


class DataError(Py5mlError, ValueError):
    """Training or prediction data that cannot be used: empty, wrong width, unknown label."""


class ModelFileError(Py5mlError):
    """A model file that cannot be read or written safely (model.json / model.weights.bin)."""


class TrainingError(Py5mlError):
    """Training that had to stop: the loss went NaN, or a callback failed."""


class BackboneError(Py5mlError):
    """A pretrained backbone that cannot be loaded, or does not match a saved head."""


class ArgumentError(DataError, TypeError):
    """An argument of the wrong kind: a list where a number goes, a str where a coroutine goes."""
