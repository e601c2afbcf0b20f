"""Untrusted model files: every broken file in tests/bad_models/ raises ModelFileError, and says why.

The corpus is written by tests/bad_models/make_bad_models.py (each case's expect.txt holds the
message regex). A short run of benchmarks/fuzz_model_loader.py's hypothesis fuzzing ends the file.
"""

import collections
import hashlib
import importlib.util
import os
from pathlib import Path

import pytest
import torch
from torch import nn

from py5ml import ModelFileError
from py5ml.formats._model_files import load_model, save_model
from py5ml.formats._weights_manifest import MAX_WEIGHT_BYTES

BAD = Path(__file__).parent / "bad_models"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expect.txt").is_file())


def test_corpus_is_big_enough():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_bad_file_raises_model_file_error(case):
    expect = (BAD / case / "expect.txt").read_text().strip()
    with pytest.raises(ModelFileError, match=expect):
        load_model(BAD / case / "model.json")


def test_huge_declared_shape_is_refused_without_allocating(monkeypatch):
    """The size check alone refuses it: reading or numpy allocation would fail this test."""
    monkeypatch.setattr("py5ml.formats._weights_manifest.read_weights", lambda groups: pytest.fail("read weights"))
    monkeypatch.setattr("py5ml.formats._weights_manifest._regular_size", lambda path: pytest.fail("looked at file sizes"))
    with pytest.raises(ModelFileError, match=f"refuses more than {MAX_WEIGHT_BYTES:,}"):
        load_model(BAD / "huge_declared_shape" / "model.json")


def test_weights_are_not_read_when_the_manifest_is_wrong(monkeypatch):
    opened = []
    monkeypatch.setattr("py5ml.formats._weights_manifest._read_exact", lambda path: opened.append(path))
    for case in ("truncated_weights", "shape_mismatch", "dotdot_path", "symlink_outside", "unknown_weight_name"):
        with pytest.raises(ModelFileError):
            load_model(BAD / case / "model.json")
    assert opened == []


def folder_fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_failed_loads_change_nothing(tmp_path):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    good = load_model(save_model(model, tmp_path, input_shape=(3,), metadata={"labels": ["a", "b"]}))
    before = {name: p.clone() for name, p in good.model.named_parameters()}
    corpus_before = {case: folder_fingerprint(BAD / case) for case in CASES}
    grad_mode, dtype = torch.is_grad_enabled(), torch.get_default_dtype()
    for case in CASES:
        with pytest.raises(ModelFileError):
            load_model(BAD / case / "model.json")
    again = load_model(tmp_path / "model.json")
    x = torch.rand(5, 3)
    with torch.no_grad():
        assert torch.equal(good.model(x), again.model(x))
    assert all(torch.equal(before[name], p) for name, p in good.model.named_parameters())
    assert good.labels == again.labels == ["a", "b"]
    assert {case: folder_fingerprint(BAD / case) for case in CASES} == corpus_before  # loading never writes
    assert (torch.is_grad_enabled(), torch.get_default_dtype()) == (grad_mode, dtype)


def test_fifo_weights_are_refused_without_blocking(tmp_path):
    save_model(nn.Sequential(nn.Linear(2, 1)), tmp_path, input_shape=(2,))
    (tmp_path / "model.weights.bin").unlink()
    os.mkfifo(tmp_path / "model.weights.bin")
    with pytest.raises(ModelFileError, match="not a regular file"):
        load_model(tmp_path)


def test_missing_model_path_says_what_to_pass(tmp_path):
    with pytest.raises(ModelFileError, match="does not exist. Pass the model's .json file"):
        load_model(tmp_path / "nope.json")
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path)  # a folder without model.json


def _fuzzer():
    path = Path(__file__).parent.parent / "benchmarks" / "fuzz_model_loader.py"
    spec = importlib.util.spec_from_file_location("fuzz_model_loader", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fuzz_loader_quickly(tmp_path):
    outcomes = collections.Counter()
    _fuzzer().run(300, outcomes, tmp_path)
    assert set(outcomes) <= {"loaded", "ModelFileError"}
    assert sum(outcomes.values()) >= 300 and outcomes["ModelFileError"] > 0
