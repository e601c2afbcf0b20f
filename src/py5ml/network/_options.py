"""A ``NeuralNetwork``'s options: ml5 0.x's defaults per task, checked at the call.

The defaults are ml5 0.x's (``ml5.neuralNetwork``), so a ported sketch learns as it did in the
browser: one hidden layer of 16 ``relu`` units, learning rate 0.2, SGD with a softmax output for
classification, Adam with a sigmoid output for regression; ``train()`` runs 10 epochs of 32 with
10% held out for validation.

Options come as keywords (``NeuralNetwork(task="regression", inputs=2)``) or as one dict, like the
``options`` object of an ml5 sketch (``NeuralNetwork(options)``), in py5ml's snake_case names.
ml5's camelCase names are refused with the name to use (``learningRate`` → ``learning_rate``).

Example::

    options = {"inputs": ["x", "y"], "outputs": ["label"], "task": "classification", "debug": True}
    nn = py5ml.NeuralNetwork(options)
"""

from __future__ import annotations

from .._checks import check_choice, check_int, check_number, quote
from .._errors import DataError

__all__ = ["network_options", "train_defaults", "ACTIVATIONS", "CAMEL_CASE"]

DEFAULTS = {"hidden_units": 16, "activation": "relu", "learning_rate": 0.2}
TASK_DEFAULTS = {
    "classification": {"optimizer": "sgd", "output_activation": "softmax"},
    "regression": {"optimizer": "adam", "output_activation": "sigmoid"},
}
TRAIN_DEFAULTS = {"epochs": 10, "batch_size": 32, "validation_split": 0.1}
ACTIVATIONS = ("relu", "sigmoid", "tanh", "softmax", "linear", "elu", "selu", "softplus", "softsign")
OPTIMIZERS = ("sgd", "adam", "rmsprop")
CAMEL_CASE = {
    "learningRate": "learning_rate", "hiddenUnits": "hidden_units", "batchSize": "batch_size",
    "dataUrl": "data_url", "validationSplit": "validation_split", "whileTraining": "while_training",
    "modelUrl": "model_url", "inputUnits": "inputs", "outputUnits": "outputs",
}
NAMES = ("task", "inputs", "outputs", "hidden_units", "activation", "learning_rate", "optimizer",
         "seed", "layers", "debug", "data_url")


def network_options(given: dict) -> dict:
    """Every option checked and filled in from the defaults; raises DataError naming the bad one."""
    _refuse_unknown(given, NAMES, "NeuralNetwork")
    task = given.get("task") or "classification"
    check_choice(task, "task", ("classification", "regression"))
    options = {**DEFAULTS, **TASK_DEFAULTS[task], **{k: v for k, v in given.items() if v is not None}, "task": task}
    options["hidden_units"] = _hidden_units(options["hidden_units"])
    check_choice(options["activation"], "activation", ACTIVATIONS)
    check_choice(options["optimizer"], "optimizer", OPTIMIZERS)
    options["learning_rate"] = check_number(options["learning_rate"], "learning_rate", low=0, low_open=True)
    if options.get("seed") is not None:
        options["seed"] = check_int(options["seed"], "seed", low=0, high=2**63 - 1)
    options["layers"] = _layers(options.get("layers"))
    options["debug"] = _flag(options.get("debug", False), "debug")
    options["inputs"], options["outputs"] = _columns(options.get("inputs"), "inputs"), _columns(options.get("outputs"), "outputs")
    return options


def train_defaults() -> dict:
    return dict(TRAIN_DEFAULTS)


def _refuse_unknown(given, names, where):
    for key in given:
        if key in CAMEL_CASE:
            raise DataError(f"{where}: ml5's {key!r} is called {CAMEL_CASE[key]} in py5ml: use "
                            f"{CAMEL_CASE[key]}={quote(given[key], 30)}.")
        if key not in names:
            raise DataError(f"{where} has no option {quote(key)}. The options are: {', '.join(names)}.")


def _hidden_units(value):
    if isinstance(value, (list, tuple)):
        if not value:
            raise DataError("hidden_units must name at least one layer size, like hidden_units=[16, 8].")
        return [check_int(v, "hidden_units", low=1, high=100_000) for v in value]
    return check_int(value, "hidden_units", low=1, high=100_000)


def _flag(value, name):
    if not isinstance(value, bool):
        raise DataError(f"{name} must be True or False, not {quote(value)}: use {name}=True.")
    return value


def _columns(value, name):
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return None
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v for v in value):
        return list(value)
    if isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(value[0], int) and not isinstance(value[0], bool):
        value = value[0]  # ml5 accepts [3] for 3 inputs
    return check_int(value, name, low=1, high=100_000)


def _layers(layers):
    """ml5's custom layers, ``[{"type": "dense", "units": 16, "activation": "relu"}, ...]``, checked."""
    if layers is None or layers == []:
        return None
    if not isinstance(layers, (list, tuple)) or len(layers) < 1:
        raise DataError(f"layers must be a list of layer dicts, like [{{'type': 'dense', 'units': 16, "
                        f"'activation': 'relu'}}, {{'type': 'dense', 'activation': 'softmax'}}], not {quote(layers)}.")
    return [_layer(spec, i, i == len(layers) - 1) for i, spec in enumerate(layers)]


def _layer(spec, index, is_last):
    if not isinstance(spec, dict):
        raise DataError(f"layers[{index}] must be a dict like {{'type': 'dense', 'units': 16}}, not {quote(spec)}.")
    for key in spec:
        if key not in ("type", "units", "activation", "rate", "inputShape", "input_shape", "useBias", "use_bias"):
            raise DataError(f"layers[{index}] has {quote(key)}; py5ml's layers take type, units, activation "
                            "(and rate for dropout).")
    kind = check_choice(spec.get("type", "dense"), f"layers[{index}] type", ("dense", "dropout"))
    if kind == "dropout":
        return {"type": "dropout", "rate": check_number(spec.get("rate", 0.5), f"layers[{index}] rate", low=0, high=1, high_open=True)}
    units = spec.get("units")
    if units is None and not is_last:
        raise DataError(f"layers[{index}] needs units, like {{'type': 'dense', 'units': 16}}: only the last "
                        "layer may leave them out (it gets one unit per output).")
    activation = spec.get("activation", "linear")
    check_choice(activation, f"layers[{index}] activation", ACTIVATIONS)
    return {"type": "dense", "activation": activation,
            "units": None if units is None else check_int(units, f"layers[{index}] units", low=1, high=100_000)}
