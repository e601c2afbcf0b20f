"""Model files: metadata checked against the model, names that are not paths, saves that lose nothing."""

import json
import os

import pytest
import torch

from py5ml._errors import ModelFileError
from py5ml.formats import _atomic_files
from py5ml.formats._model_files import load_model, save_model

GOOD = {"task": "classification", "labels": ["a", "b"], "inputs": ["r", "g", "b"], "input_count": 3,
        "normalization": {"min": [0, 0, 0], "max": [255, 255, 255]}}


def net():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=-1))


def saved_with(folder, **changes):
    """A good py5ml file whose metadata is then edited on disk (save_model itself would refuse some)."""
    path = save_model(net(), folder, input_shape=(3,), metadata=GOOD)
    document = json.loads(path.read_text())
    meta = document["userDefinedMetadata"]["py5ml"]
    meta.update(changes)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("changes, message", [
    ({"normalization": {"max": [1, 1, 1]}}, r"The metadata's normalization must be \{'min': \[\.\.\.\], 'max': \[\.\.\.\]\} with 3 numbers each"),
    ({"normalization": {"min": ["0", "0", "0"], "max": [1, 1, 1]}}, r"normalization min must be a list of 3 finite numbers \(one per input\), not \['0', '0', '0'\]"),
    ({"normalization": {"min": [1, 0, 0], "max": [1, 1, 1]}}, r"normalization for input 0 has min 1\.0 and max 1\.0; min must be smaller than max"),
    ({"normalization": {"min": None, "max": None}}, r"normalization min must be a list of 3 finite numbers \(one per input\), not None"),
    ({"normalization": {"min": [0, 0], "max": [1, 1]}}, r"normalization min must be a list of 3 finite numbers"),
    ({"inputs": ["r", "g", "b", "a"]}, r"The metadata names 4 inputs but the model has 3\. Save the model and its metadata together again\."),
    ({"inputs": ["r", "r", "b"]}, r"The metadata's inputs must be different, non-empty names"),
    ({"input_count": 4}, r"The metadata's input_count is 4 but the model takes 3 inputs"),
    ({"task": "clustering"}, r"The model's metadata names the task 'clustering'; py5ml knows 'classification' and 'regression'"),
    ({"labels": ["a", "a"]}, r"py5ml metadata labels names \['a'\] more than once; each output needs its own label"),
    ({"labels": ["a", ["b"]]}, r"py5ml metadata labels must be a list of non-empty strings"),
])
def test_metadata_that_does_not_fit_the_model_is_refused(tmp_path, changes, message):
    path = saved_with(tmp_path, **changes)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_a_number_too_big_for_a_float_is_refused(tmp_path):
    path = saved_with(tmp_path)
    path.write_text(path.read_text().replace('"max": [255, 255, 255]', '"max": [1e400, 255, 255]'))
    with pytest.raises(ModelFileError, match=r"normalization max must be a list of 3 finite numbers \(one per input\), not \[inf, 255, 255\]"):
        load_model(path)


@pytest.mark.parametrize("column, message", [
    ({"dtype": "number", "min": 5, "max": 1}, r"model_meta\.json: input 'x' has min 5 and max 1; they must be finite numbers with min ≤ max"),
    ({"dtype": "number", "min": "0", "max": 1}, r"model_meta\.json: input 'x' has min '0' and max 1"),
    ({"dtype": "number", "min": None, "max": 1}, r"model_meta\.json: input 'x' has min None and max 1"),
])
def test_ml5_model_meta_inputs_are_checked(tmp_path, column, message):
    path = save_model(net(), tmp_path, input_shape=(3,))
    document = json.loads(path.read_text())
    del document["userDefinedMetadata"]
    path.write_text(json.dumps(document))
    meta = {"inputs": {"x": column, "y": {"dtype": "number", "min": 0, "max": 1}, "z": {"dtype": "number", "min": 0, "max": 1}},
            "outputs": {"label": {"dtype": "string", "uniqueValues": ["a", "b"]}}}
    (tmp_path / "model_meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_two_layers_with_the_same_name_are_refused(tmp_path):
    path = save_model(torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 2)), tmp_path, input_shape=(3,))
    document = json.loads(path.read_text())
    layers = document["modelTopology"]["config"]["layers"]
    layers[1]["config"]["name"] = layers[0]["config"]["name"]
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match=r"Two layers are named '.*'\. Layer names must be unique; save the model again\."):
        load_model(path)


@pytest.mark.parametrize("path, message", [
    ("out\0/model", r"path contains a NUL byte"),
    ("n" * 300, r"path is too long for the file system: 'n{78}…\. Use a shorter name\."),
    (3.5, r"path must be a file path \(a str or pathlib\.Path\), not 3\.5\."),
])
def test_save_paths_that_are_not_paths(tmp_path, path, message):
    with pytest.raises(ModelFileError, match=message):
        save_model(net(), path, input_shape=(3,))
    with pytest.raises(ModelFileError, match=r"name 'x\\x00' must be a plain file name such as 'model'\."):
        save_model(net(), tmp_path, "x\0", input_shape=(3,))
    assert list(tmp_path.iterdir()) == []


def test_save_to_a_json_path_writes_that_file_not_a_folder(tmp_path):
    path = save_model(net(), tmp_path / "out" / "model.json", input_shape=(3,))
    assert path == tmp_path / "out" / "model.json" and path.is_file()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["model.json", "model.weights.bin"]
    robot = save_model(net(), str(tmp_path / "robot.json"), input_shape=(3,))
    assert robot.name == "robot.json" and (tmp_path / "robot.weights.bin").is_file()
    assert load_model(robot).input_shape == (3,)


def test_clean_up_never_deletes_another_models_legal_file(tmp_path):
    other = save_model(net(), tmp_path, "model.0123456789abcdef", input_shape=(3,))
    save_model(net(), tmp_path, input_shape=(3,))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["model.0123456789abcdef.json", "model.0123456789abcdef.weights.bin", "model.json", "model.weights.bin"]
    assert load_model(other).input_shape == (3,)


def test_a_hashed_name_another_json_points_at_is_kept(tmp_path):
    save_model(net(), tmp_path, "first", input_shape=(3,))
    legal = tmp_path / "model.00112233aabbccdd.weights.bin"
    os.replace(tmp_path / "first.weights.bin", legal)
    document = json.loads((tmp_path / "first.json").read_text())
    document["weightsManifest"][0]["paths"] = [f"./{legal.name}"]
    (tmp_path / "first.json").write_text(json.dumps(document))
    save_model(net(), tmp_path, input_shape=(3,))
    assert legal.is_file() and load_model(tmp_path / "first.json").input_shape == (3,)


def test_a_failed_save_leaves_no_temporary_or_staged_file(tmp_path, monkeypatch):
    save_model(net(), tmp_path, input_shape=(3,))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls = []
    real = os.fsync

    def fail_on_second_file(fd):
        calls.append(fd)
        if len(calls) == 3:  # staged weights, its folder, then the new model.json fails
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(_atomic_files.os, "fsync", fail_on_second_file)
    with pytest.raises(ModelFileError, match=r"Could not write the model to .*No space left on device.*Check the folder is writable\."):
        bigger = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=-1))
        torch.nn.init.constant_(bigger[0].weight, 0.5)
        save_model(bigger, tmp_path, input_shape=(3,))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
