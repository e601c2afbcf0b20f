"""Build the torch model a ``NeuralNetwork`` trains, from its options and its data's encoding.

Without ``layers``: ml5 0.x's default, one hidden ``Dense`` of ``hidden_units`` (a list gives several)
then an output layer: softmax for classification; for regression sigmoid when the data is
normalized (outputs are 0–1 then, as in ml5), else no activation so values can reach any size
(ml5 would use sigmoid there too and cap every prediction at 1).

With ``layers`` (ml5's form): ``[{"type": "dense", "units": 16, "activation": "relu"}, ...,
{"type": "dense", "activation": "softmax"}]``; the last layer's units default to the outputs.

Example::

    model = build_model(options, encoding)   # Sequential(Linear(3, 16), ReLU(), Linear(16, 9), Softmax(dim=1))
"""

from __future__ import annotations

import torch

from .._errors import DataError

__all__ = ["build_model", "layer_specs"]

TORCH_ACTIVATIONS = {
    "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "elu": torch.nn.ELU,
    "selu": torch.nn.SELU, "softplus": torch.nn.Softplus, "softsign": torch.nn.Softsign,
    "softmax": lambda: torch.nn.Softmax(dim=1), "linear": None,
}


def layer_specs(options: dict, encoding) -> list:
    """The layers as ml5 writes them, with every dense layer's units filled in."""
    if options["layers"]:
        specs = [dict(s) for s in options["layers"]]
        last = next((s for s in reversed(specs) if s["type"] == "dense"), None)
        if last is None:
            raise DataError("layers needs at least one {'type': 'dense'} layer: the outputs come from it.")
        if last["units"] is None:
            last["units"] = encoding.output_width
        if last["units"] != encoding.output_width:
            raise DataError(f"The last dense layer has {last['units']} units but the data has {encoding.output_width} "
                            "outputs: leave its units out, and py5ml fills them in.")
        return specs
    hidden = options["hidden_units"]
    specs = [{"type": "dense", "units": n, "activation": options["activation"]}
             for n in (hidden if isinstance(hidden, list) else [hidden])]
    output = options["output_activation"]
    if encoding.task == "regression" and not encoding.is_normalized:
        output = "linear"
    return specs + [{"type": "dense", "units": encoding.output_width, "activation": output}]


def build_model(options: dict, encoding) -> torch.nn.Sequential:
    if options.get("seed") is not None:
        torch.manual_seed(options["seed"])
    modules, width = [], encoding.input_width
    for spec in layer_specs(options, encoding):
        if spec["type"] == "dropout":
            modules.append(torch.nn.Dropout(spec["rate"]))
            continue
        modules.append(torch.nn.Linear(width, spec["units"]))
        make = TORCH_ACTIVATIONS[spec["activation"]]
        if make is not None:
            modules.append(make())
        width = spec["units"]
    model = torch.nn.Sequential(*modules)
    model.apply(_glorot)  # TF.js's default initializers, so training matches ml5
    return model


def _glorot(module):
    if isinstance(module, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(module.weight)
        torch.nn.init.zeros_(module.bias)
