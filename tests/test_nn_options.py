"""NeuralNetwork options: ml5 0.x's defaults per task, ml5's option dict, and py5ml's names."""

import pytest
import torch

from py5ml import DataError, NeuralNetwork
from py5ml.network._encoding import Column, Encoding
from py5ml.network._layers import build_model, layer_specs


def encoding(task="classification", n_in=2, n_out=3, normalized=True):
    inputs = tuple(Column(f"x{i}") for i in range(n_in))
    outputs = ((Column("label", "string", values=tuple("abc"[:n_out])),) if task == "classification"
               else tuple(Column(f"y{i}") for i in range(n_out)))
    return Encoding(task, inputs, outputs, normalized)


def test_classification_defaults_are_ml5s():
    nn = NeuralNetwork()
    o = nn.options
    assert (o["task"], o["hidden_units"], o["activation"], o["optimizer"], o["learning_rate"]) == \
        ("classification", 16, "relu", "sgd", 0.2)
    assert layer_specs(o, encoding()) == [{"type": "dense", "units": 16, "activation": "relu"},
                                          {"type": "dense", "units": 3, "activation": "softmax"}]
    model = build_model(o, encoding())
    assert [type(m) for m in model] == [torch.nn.Linear, torch.nn.ReLU, torch.nn.Linear, torch.nn.Softmax]


def test_regression_defaults_are_ml5s_with_a_linear_output_when_not_normalized():
    o = NeuralNetwork(task="regression").options
    assert (o["optimizer"], o["learning_rate"], o["activation"]) == ("adam", 0.2, "relu")
    assert layer_specs(o, encoding("regression", n_out=1))[-1]["activation"] == "sigmoid"  # outputs 0-1, as ml5
    assert layer_specs(o, encoding("regression", n_out=1, normalized=False))[-1]["activation"] == "linear"


def test_options_as_an_ml5_style_dict():
    options = {"inputs": ["x", "y"], "outputs": ["label"], "task": "classification", "debug": True}
    nn = NeuralNetwork(options)
    assert nn.debug is True and nn.data.input_names == ["x", "y"] and nn.data.label_name == "label"
    nn = NeuralNetwork({"task": "regression"}, data_url="data/co2stats.csv")
    assert nn.task == "regression" and nn.data_url == "data/co2stats.csv" and nn.debug is False
    with pytest.raises(DataError, match="got task twice"):
        NeuralNetwork({"task": "regression"}, task="classification")
    with pytest.raises(DataError, match="as a dict or as keywords"):
        NeuralNetwork(["x", "y"])


@pytest.mark.parametrize("key, value, name", [
    ("learningRate", 0.1, "learning_rate=0.1"), ("hiddenUnits", 8, "hidden_units=8"),
    ("dataUrl", "a.csv", "data_url='a.csv'"), ("batchSize", 12, "batch_size=12"),
])
def test_camel_case_options_name_the_py5ml_way(key, value, name):
    with pytest.raises(DataError, match=f"ml5's '{key}' is called .* in py5ml: use {name}"):
        NeuralNetwork({key: value})


@pytest.mark.parametrize("options, message", [
    ({"debug": "true"}, "debug must be True or False"),
    ({"seed": -1}, "seed must be between 0"), ({"seed": 1.5}, "seed must be a whole number"),
    ({"activation": "swish"}, "activation must be one of"), ({"task": "clustering"}, "task must be one of"),
    ({"hidden_units": -4}, "hidden_units must be between 1"), ({"hidden_units": True}, "hidden_units must be a whole number"),
    ({"hidden_units": 10**30}, "hidden_units must be between 1"), ({"learning_rate": "0.1"}, "learning_rate must be a number"),
    ({"learning_rate": 0}, "learning_rate must be more than 0"), ({"optimizer": "lbfgs"}, "optimizer must be one of"),
    ({"epochs": 3}, "has no option 'epochs'"), ({"inputs": 0}, "inputs must be between 1"),
    ({"layers": [{"type": "conv2d"}]}, "type must be one of 'dense', 'dropout'"),
    ({"layers": [{"type": "dense", "activation": "relu"}, {"type": "dense"}]}, r"layers\[0\] needs units"),
])
def test_bad_options_are_refused_at_the_call(options, message):
    with pytest.raises(DataError, match=message):
        NeuralNetwork(**options)


def test_custom_layers_in_ml5s_form():
    layers = [{"type": "dense", "units": 16, "activation": "relu"},
              {"type": "dense", "units": 8, "activation": "tanh"},
              {"type": "dense", "activation": "softmax"}]
    nn = NeuralNetwork(layers=layers, seed=1)
    model = build_model(nn.options, encoding(n_in=4, n_out=3))
    shapes = [tuple(m.weight.shape) for m in model if isinstance(m, torch.nn.Linear)]
    assert shapes == [(16, 4), (8, 16), (3, 8)]
    assert [type(m) for m in model][-1] is torch.nn.Softmax
    bad = NeuralNetwork(layers=[{"type": "dense", "units": 16}, {"type": "dense", "units": 5, "activation": "softmax"}])
    with pytest.raises(DataError, match="last dense layer has 5 units but the data has 3 outputs"):
        build_model(bad.options, encoding())


def test_a_seed_makes_the_starting_weights_repeatable():
    a = build_model(NeuralNetwork(seed=7).options, encoding())
    b = build_model(NeuralNetwork(seed=7).options, encoding())
    assert torch.equal(a[0].weight, b[0].weight)
