"""Property tests for KNNClassifier and the data files: only py5ml errors escape, a refused call
changes nothing, files land only where they were asked to."""

import json

import numpy as np
from hypothesis import given, settings, strategies as st

import py5ml
from test_bad_input_properties import ANYTHING, FAST, JSON, files_under, mutate, only_py5ml_errors, snapshot

FEATURES = st.one_of(ANYTHING, st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=8, max_size=8),
                     st.builds(lambda n: np.random.default_rng(n).random(8), st.integers(0, 9)))


def knn():
    classifier = py5ml.KNNClassifier()
    for i, label in enumerate(["rock", "paper", "rock", "scissors"]):
        classifier.add_example(np.eye(8, dtype=np.float32)[i] + 0.1, label)
    return classifier


@FAST
@given(features=FEATURES, label=ANYTHING)
def test_knn_add_example_refusals_change_nothing(features, label):
    classifier = knn()
    before = snapshot(classifier)
    _, error = only_py5ml_errors(lambda: classifier.add_example(features, label), measure_memory=True)
    if error is not None:
        assert snapshot(classifier) == before


@FAST
@given(features=FEATURES, k=st.one_of(ANYTHING, st.integers(1, 6)))
def test_knn_classify_raises_only_py5ml_errors(features, k):
    classifier = knn()
    before = snapshot(classifier)
    result, error = only_py5ml_errors(lambda: classifier.classify_sync(features, k=k))
    assert snapshot(classifier) == before
    if error is None:
        assert result["label"] in ("rock", "paper", "scissors")


@settings(FAST, max_examples=15)
@given(data=st.data())
def test_knn_load_of_a_damaged_file_raises_only_py5ml_errors(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("knn")
    knn().save(folder / "knn.json")
    path = folder / "knn.json"
    path.write_text(json.dumps(mutate(json.loads(path.read_text()), data)))
    classifier = knn()
    before = snapshot(classifier)
    listing = files_under(folder)

    def load():
        task = classifier.load(path)
        if hasattr(task, "is_done"):
            scheduler = py5ml.get_scheduler()
            for _ in range(50):
                if task.is_done:
                    break
                scheduler.step()
            if task.exception is not None:
                raise task.exception

    _, error = only_py5ml_errors(load)
    if error is not None:
        assert snapshot(classifier) == before
    assert files_under(folder) == listing


@settings(FAST, max_examples=25)
@given(document=st.one_of(JSON, st.fixed_dictionaries({"data": st.lists(
           st.fixed_dictionaries({"xs": st.dictionaries(st.sampled_from("rgb"), JSON), "ys": JSON}), max_size=3)})),
       inputs=st.one_of(st.none(), st.just(["r", "g", "b"]), ANYTHING), outputs=st.one_of(st.none(), st.just(["label"]), ANYTHING))
def test_read_data_raises_only_data_errors(tmp_path_factory, document, inputs, outputs):
    path = tmp_path_factory.mktemp("data") / "data.json"
    path.write_text(json.dumps(document))
    rows, error = only_py5ml_errors(lambda: py5ml.read_data(path, inputs=inputs, outputs=outputs), measure_memory=True)
    if error is None:
        assert all(set(row) == {"xs", "ys"} for row in rows)


@settings(FAST, max_examples=25)
@given(raw=st.binary(max_size=300))
def test_read_data_of_random_csv_bytes(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(b"r,g,b,label\n" + raw)
    only_py5ml_errors(lambda: py5ml.read_data(path, inputs=["r", "g", "b"], outputs=["label"]))


@settings(FAST, max_examples=25)
@given(examples=st.one_of(ANYTHING, st.lists(st.fixed_dictionaries({"xs": JSON, "ys": JSON}), max_size=3)))
def test_write_data_writes_only_its_file(tmp_path_factory, examples):
    base = tmp_path_factory.mktemp("write")
    _, error = only_py5ml_errors(lambda: py5ml.write_data(examples, base / "out" / "data.json"))
    written = files_under(base)
    assert written in ([], ["out"], ["out", "out/data.json"])
    if error is None:
        assert "out/data.json" in written and py5ml.read_data(base / "out" / "data.json")
