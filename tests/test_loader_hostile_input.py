"""The model loader against hostile input (issue 10's loader items): each refused with a pinned message.

Bad paths, millions of shard names, gigantic echoes, duplicated labels and names: every one is a
``ModelFileError`` that says what is wrong, the files are left alone, torch's random state does not
move, and no message repeats more than a short quote of what it was given.
"""

import collections
import copy
import hashlib
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from py5ml import ModelFileError, load_model
from py5ml.formats import _weights_manifest

BAD = Path(__file__).parent / "bad_models"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expect.txt").is_file())


def dense_model(tmp_path, **extra):
    kernel = np.ones((3, 2), "<f4")
    doc = {"modelTopology": {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 2, "use_bias": False, "batch_input_shape": [None, 3]}}]}},
        "weightsManifest": [{"paths": ["./w.bin"], "weights": [{"name": "d/kernel", "shape": [3, 2], "dtype": "float32"}]}]}
    doc.update(extra)
    (tmp_path / "w.bin").write_bytes(kernel.tobytes())
    (tmp_path / "model.json").write_text(json.dumps(doc))
    return tmp_path / "model.json"


@pytest.mark.parametrize("path, message", [
    ("model\0.json", "path contains a NUL byte"),
    ("x" * 300 + ".json", "path is too long for the file system"),
    ("a/" * 3000, "path is too long for the file system"),
    (42, r"path must be a file path \(a str or pathlib.Path\), not 42"),
    (b"model.json", r"path must be a file path \(a str or pathlib.Path\), not b'model.json'"),
    (None, r"path must be a file path \(a str or pathlib.Path\), not None"),
    ("", "path is empty"),
])
def test_paths_that_are_not_usable_paths(path, message):
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_millions_of_shard_paths_are_refused_before_any_path_is_checked(tmp_path, monkeypatch):
    doc = json.loads(dense_model(tmp_path).read_text())
    doc["weightsManifest"][0]["paths"] = ["w.bin"] * 2_000_000
    (tmp_path / "model.json").write_text(json.dumps(doc, separators=(",", ":")))
    monkeypatch.setattr(_weights_manifest, "_safe_path", lambda raw, folder: pytest.fail("checked a path"))
    message = "weightsManifest lists 1 groups, 2,000,000 shard files and 1 weights; py5ml reads at most 1,000 files"
    with pytest.raises(ModelFileError, match=message):
        load_model(tmp_path)


def test_error_messages_quote_only_a_little_of_huge_input(tmp_path):
    huge = "X" * 5_000_000
    dense_model(tmp_path, modelTopology={"class_name": huge, "config": {}})
    with pytest.raises(ModelFileError) as caught:
        load_model(tmp_path)
    assert "is a 'XXXX" in str(caught.value) and len(str(caught.value)) < 400
    labels = [f"label {i}" for i in range(100_000)]
    dense_model(tmp_path, userDefinedMetadata={"py5ml": {"labels": labels}})
    with pytest.raises(ModelFileError, match="has 100000 labels but the model's last layer has 2 outputs") as caught:
        load_model(tmp_path)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("extra, message", [
    ({"ml5Specs": {"mapStringToIndex": ["cat", "cat"]}}, r"ml5Specs.mapStringToIndex names \['cat'\] more than once"),
    ({"userDefinedMetadata": {"task": "classification", "labelIndex": ["a", "a"]}}, r"labelIndex names \['a'\] more than once"),
    ({"userDefinedMetadata": {"task": "classify", "labelIndex": ["a", "b"]}}, "task must be 'classification' or 'regression', not 'classify'"),
    ({"userDefinedMetadata": {"py5ml": {"labels": ["", "b"]}}}, r"must be a list of non-empty strings, not \['', 'b'\]"),
])
def test_duplicated_or_empty_labels_are_refused(tmp_path, extra, message):
    with pytest.raises(ModelFileError, match=message):
        load_model(dense_model(tmp_path, **extra))


def fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_no_failed_load_moves_torchs_random_state_or_writes_a_file():
    torch.manual_seed(11)
    before, files = torch.random.get_rng_state(), {case: fingerprint(BAD / case) for case in CASES}
    for case in CASES:
        with pytest.raises(ModelFileError):
            load_model(BAD / case / "model.json")
    assert torch.equal(torch.random.get_rng_state(), before)
    assert {case: fingerprint(BAD / case) for case in CASES} == files


def test_a_weights_only_file_says_how_to_use_it(tmp_path):
    dense_model(tmp_path, modelTopology=None)
    with pytest.raises(ModelFileError, match=r"holds weights only.*feature_extractor\('MobileNet', version=1, weights="):
        load_model(tmp_path)


def _module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fuzzed_image_graphs_raise_only_model_file_errors(tmp_path):
    """benchmarks/fuzz_model_loader.py's mutations, aimed at a functional conv model (Add, BN, pooling)."""
    fuzz = _module(Path(__file__).parent.parent / "benchmarks" / "fuzz_model_loader.py", "fuzz_model_loader")
    base, weights = _module(BAD / "make_bad_models.py", "make_bad_models").conv_files()
    (tmp_path / "model.weights.bin").write_bytes(weights)
    outcomes = collections.Counter()

    @settings(max_examples=250, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(choices=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 200), fuzz.JSON_VALUES), min_size=1, max_size=3),
           under_manifest=st.booleans())
    def run(choices, under_manifest):
        doc = copy.deepcopy(base)
        for choice, key, value in choices:
            aim = under_manifest and isinstance(doc.get("weightsManifest"), (list, dict))  # still there to aim at
            fuzz._mutate(doc, choice, key, value, aim)
        (tmp_path / "model.json").write_text(json.dumps(doc))
        try:
            load_model(tmp_path)
            outcomes["loaded"] += 1
        except ModelFileError:
            outcomes["refused"] += 1

    run()
    assert outcomes["refused"] > 0 and sum(outcomes.values()) == 250
