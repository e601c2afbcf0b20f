"""add_data as ml5 means it: lists or dicts, labels as "A", ["A"] or {"label": "A"}, text inputs
one-hot encoded; every mistake refused at the call, with nothing changed."""

import csv
import copy
from pathlib import Path

import numpy as np
import pytest

from py5ml import DataError, NeuralNetwork

TITANIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ml5_examples" / "NeuralNetwork" / \
    "NeuralNetwork_titanic" / "data" / "titanic_cleaned.csv"


def state(nn):
    d = nn.data
    return copy.deepcopy((d.input_names, d.input_count, d.kinds, d.rows, d.targets, d.labels, d.label_name,
                          d.output_names, d.is_normalized, d.input_range))


@pytest.mark.parametrize("target", ["A", ["A"], {"label": "A"}, ("A",)])
def test_a_label_in_every_ml5_shape(target):
    nn = NeuralNetwork()
    nn.add_data([1, 2], target)
    nn.add_data({"input0": 3, "input1": 4}, "B")
    assert nn.labels == ["A", "B"] and nn.data.rows == [[1.0, 2.0], [3.0, 4.0]]


def test_outputs_label_names_the_column_and_classes_come_from_the_data():
    nn = NeuralNetwork(inputs=["x", "y"], outputs=["label"])
    nn.add_data({"x": 1, "y": 2}, {"label": "C"})
    nn.add_data([5, 6], ["A"])
    enc = nn.data.encoding()
    assert enc.labels == ["C", "A"] and enc.output_names == ["label"] and enc.input_names == ["x", "y"]


def test_a_longer_outputs_list_gives_the_labels_in_order():
    nn = NeuralNetwork(outputs=["red-ish", "blue-ish"])
    nn.add_data([1], "blue-ish")
    nn.add_data([2], "red-ish")
    assert nn.data.encoding().labels == ["red-ish", "blue-ish"]


def test_numbers_as_labels_become_text_as_in_ml5():
    nn = NeuralNetwork()
    nn.add_data([0, 0], [0])
    nn.add_data([0, 1], 1)
    assert nn.labels == ["0", "1"]


def test_text_inputs_are_one_hot_encoded():
    nn = NeuralNetwork(inputs=["fare_class", "sex", "age"], outputs=["survived"])
    nn.add_data({"fare_class": "first", "sex": "male", "age": 39}, {"survived": "died"})
    nn.add_data({"fare_class": "third", "sex": "female", "age": 20}, {"survived": "survived"})
    nn.add_data({"fare_class": "second", "sex": "female", "age": 2}, {"survived": "survived"})
    enc = nn.data.encoding()
    assert enc.input_width == 3 + 2 + 1
    np.testing.assert_array_equal(enc.encode_inputs(["third", "male", 5]), [0, 1, 0, 1, 0, 5])
    with pytest.raises(DataError, match="Input 'fare_class' must be one of 'first', 'third', 'second', not 'fourth'"):
        enc.encode_inputs(["fourth", "male", 5])
    with pytest.raises(DataError, match=r"Input 2 \(age\) was a number in the first example"):
        nn.add_data(["first", "male", "old"], "died")


def test_the_titanic_csv_trains_to_a_real_encoding():
    with open(TITANIC, newline="") as f:
        rows = list(csv.DictReader(f))
    nn = NeuralNetwork(inputs=["fare_class", "sex", "age", "fare"], outputs=["survived"])
    for row in rows:
        nn.add_data({k: (row[k] if k in ("fare_class", "sex") else float(row[k])) for k in ("fare_class", "sex", "age", "fare")},
                    {"survived": row["survived"]})
    nn.normalize_data()
    enc = nn.data.encoding()
    assert len(rows) == 1308 and sorted(enc.labels) == ["died", "lived"]
    assert [c.values for c in enc.inputs[:2]] == [("first", "second", "third"), ("male", "female")]
    xs, ys = nn.data.arrays(enc)
    assert xs.shape == (1308, 7) and ys.shape == (1308, 2)
    assert xs[:, 5:].min() == 0 and xs[:, 5:].max() == 1  # numbers scaled; one-hot left as 0/1


@pytest.mark.parametrize("inputs, target, message", [
    (3, "a", r"Give the inputs as a list, like add_data\(\[3\], 'label'\)"),
    ("123", "a", "Give the inputs as a list"),
    ([1, float("nan")], "a", "must be a finite number, not nan"),
    ([1, float("inf")], "a", "must be a finite number, not inf"),
    ([1, 10**400], "a", "must be a finite number"),
    ([True, 2], "a", "must be a number"),
    ([], "a", "The inputs are empty"),
    ([1, ""], "a", "empty text"),
    ([1, 2], "", "non-empty string"),
    ([1, 2], ["happy", "sad"], "non-empty string"),
    ([1, 2], {"label": "a", "x": "b"}, "Give one label"),
    ([1, 2], None, "non-empty string"),
])
def test_a_refused_first_example_fixes_nothing(inputs, target, message):
    nn = NeuralNetwork()
    before = state(nn)
    with pytest.raises(DataError, match=message):
        nn.add_data(inputs, target)
    assert state(nn) == before
    nn.add_data([1, 2, 3], "a")  # the width is still free
    assert nn.data.input_count == 3


def test_a_refused_later_example_changes_nothing():
    nn = NeuralNetwork(task="regression")
    nn.add_data({"x": 1}, {"y": 2})
    before = state(nn)
    for inputs, target, message in [({"x": 1}, {"z": 2}, "outputs are missing: y"), ({"q": 1}, {"y": 2}, "inputs are missing: x"),
                                    ({"x": 1}, "big", "regression target is a number"), ({"x": 1}, [1, 2], "Expected 1 outputs")]:
        with pytest.raises(DataError, match=message):
            nn.add_data(inputs, target)
    assert state(nn) == before


@pytest.mark.parametrize("args, message", [
    ((0,), "Give both low and high"), ((5, 1), "low must be smaller than high"), ((0, "255"), "must be a number"),
    ((0, float("nan")), "finite"), ((True, 2), "must be a number"), (([0, 0], [1, 1, 1]), "one number, or one per input"),
])
def test_normalize_data_bad_arguments_change_nothing(args, message):
    nn = NeuralNetwork()
    nn.add_data([1, 2, 3], "a")
    before = state(nn)
    with pytest.raises(DataError, match=message):
        nn.normalize_data(*args)
    assert state(nn) == before


def test_regression_outputs_are_normalized_and_predictions_scaled_back():
    nn = NeuralNetwork(task="regression")
    for x in range(11):
        nn.add_data([x * 100], [1e6 + x * 1e6])
    nn.normalize_data()
    enc = nn.data.encoding()
    xs, ys = nn.data.arrays(enc)
    np.testing.assert_allclose(xs[:, 0], np.linspace(0, 1, 11), atol=1e-6)
    np.testing.assert_allclose(ys[:, 0], np.linspace(0, 1, 11), atol=1e-6)
    assert enc.decode_values([0.5]) == [6e6]
