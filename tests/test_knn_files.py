"""KNNClassifier files in ml5's format, checked against real TF.js 4.22 in node.

tests/js/knn_ml5.js adds examples, saves and loads the way ml5 0.x's KNNClassifier does
(JSON.stringify of kept tensors with their labels) and classifies by cosine top-k vote. A file it
writes must load in py5ml and classify the same; a file py5ml writes must have exactly its fields
and load back in it with the same results. Damaged files are refused and change nothing.
"""

import copy
import json
import os

import numpy as np
import pytest

from py5ml import DataError, KNNClassifier, ModelFileError
from tfjs_node import run_node


def examples(seed=0, n=30, width=24):
    rng = np.random.default_rng(seed)
    labels = [["rock", "paper", "scissors"][i % 3] for i in range(n)]
    centres = {name: rng.normal(size=width) for name in ("rock", "paper", "scissors")}
    return [(centres[label] + rng.normal(0, 0.8, width)).tolist() for label in labels], labels


def queries(seed=1, n=12, width=24):
    return np.random.default_rng(seed).normal(size=(n, width)).tolist()


def node_knn(tmp, spec):
    (tmp / "spec.json").write_text(json.dumps(spec))
    run_node("knn_ml5.js", tmp / "spec.json", tmp / "out")
    return json.loads((tmp / "out" / "results.json").read_text())


def same_results(ours, theirs):
    assert ours["classIndex"] == theirs["classIndex"] and ours["label"] == theirs["label"]
    assert ours["confidences"] == pytest.approx({int(k): v for k, v in theirs["confidences"].items()})


@pytest.fixture(scope="module")
def ml5_file(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("knn_ml5")
    features, labels = examples()
    results = node_knn(tmp, {"examples": features, "labels": labels, "queries": queries(), "k": 5})
    return tmp / "out" / "ml5_knn.json", results


def test_a_file_saved_the_way_ml5_saves_loads_and_classifies_as_in_tfjs(ml5_file):
    path, tfjs_results = ml5_file
    knn = KNNClassifier().load(path)
    assert knn.get_count_by_label() == {"rock": 10, "paper": 10, "scissors": 10}
    for query, theirs in zip(queries(), tfjs_results):
        same_results(knn.classify_sync(query, k=5), theirs)
    assert len({r["label"] for r in tfjs_results}) > 1  # the queries are not all one class


def test_our_file_has_exactly_ml5s_fields_and_numbers(ml5_file, tmp_path):
    ml5_path, _ = ml5_file
    knn = KNNClassifier()
    for features, label in zip(*examples()):
        knn.add_example(features, label)
    ours = json.loads(knn.save(tmp_path / "myKNN").read_text())
    theirs = json.loads(ml5_path.read_text())
    assert list(ours) == list(theirs) == ["dataset", "tensors"]
    assert list(ours["dataset"]) == list(theirs["dataset"]) == ["0", "1", "2"]
    for key in theirs["dataset"]:
        a, b = ours["dataset"][key], theirs["dataset"][key]
        assert set(a) == set(b)  # kept, isDisposedInternal, shape, dtype, size, strides, dataId, id, rankType, label
        for field in ("kept", "isDisposedInternal", "shape", "dtype", "size", "strides", "rankType", "label"):
            assert a[field] == b[field], field
    for a, b in zip(ours["tensors"], theirs["tensors"]):
        assert list(a) == list(b)  # {"0": x, "1": y, ...} like a Float32Array
        np.testing.assert_allclose(list(a.values()), list(b.values()), atol=1e-6)


def test_our_file_loads_in_tfjs_the_way_ml5_loads_and_gives_the_same_results(tmp_path):
    knn = KNNClassifier()
    for features, label in zip(*examples(seed=4)):
        knn.add_example(features, label)
    path = knn.save(tmp_path / "knn.json")
    tfjs_results = node_knn(tmp_path, {"load": str(path), "queries": queries(seed=5), "k": 3})
    for query, theirs in zip(queries(seed=5), tfjs_results):
        same_results(knn.classify_sync(query, k=3), theirs)


def test_save_then_load_round_trips_and_load_replaces(tmp_path):
    knn = KNNClassifier()
    for features, label in zip(*examples(seed=2)):
        knn.add_example(features, label)
    path = knn.save(tmp_path / "sub" / "model.json")
    other = KNNClassifier()
    other.add_example([1, 2, 3], "old")
    other.load(path)
    assert other.get_count_by_label() == knn.get_count_by_label()
    for query in queries(seed=3):
        assert other.classify_sync(query) == knn.classify_sync(query)
    assert sorted(os.listdir(tmp_path / "sub")) == ["model.json"]  # no temp files left


def test_load_calls_back_on_the_next_frame(tmp_path):
    from py5ml import get_scheduler

    knn = KNNClassifier()
    knn.add_example([1, 0], "x")
    path = knn.save(tmp_path / "k.json")
    called = []
    KNNClassifier().load(path, lambda: called.append(True))
    assert called == []
    get_scheduler().step()
    assert called == [True]


def test_saving_with_no_examples_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match="no examples to save yet"):
        KNNClassifier().save(tmp_path / "k.json")
    assert list(tmp_path.iterdir()) == []


def good_document():
    return {"dataset": {"0": {"shape": [2, 3], "dtype": "float32", "label": "a"},
                        "1": {"shape": [1, 3], "dtype": "float32", "label": "b"}},
            "tensors": [{"0": 1, "1": 0, "2": 0, "3": 0.9, "4": 0.1, "5": 0}, [0, 1, 0]]}


def damaged(change):
    document = good_document()
    change(document)
    return document


BAD_FILES = {
    "a list": ([1, 2], "needs a 'dataset' object and a 'tensors' list"),
    "no tensors": (damaged(lambda d: d.pop("tensors")), "needs a 'dataset' object"),
    "dataset is a list": (damaged(lambda d: d.update(dataset=[1])), "needs a 'dataset' object"),
    "counts differ": (damaged(lambda d: d["tensors"].pop()), "2 dataset entries but 1 tensors"),
    "key not an index": (damaged(lambda d: d["dataset"].update({"x": d["dataset"].pop("1")})), "class named 'x'"),
    "shape missing": (damaged(lambda d: d["dataset"]["0"].pop("shape")), "'shape' must be"),
    "shape of strings": (damaged(lambda d: d["dataset"]["0"].update(shape=["2", "3"])), "'shape' must be"),
    "entry not an object": (damaged(lambda d: d["dataset"].update({"0": 5})), "'shape' must be"),
    "wrong count": (damaged(lambda d: d["dataset"]["0"].update(shape=[3, 3])), "holds 6 numbers, but its shape"),
    "widths differ": (damaged(lambda d: d.update(tensors=[d["tensors"][0], [0, 1, 0, 1]]) or
                              d["dataset"]["1"].update(shape=[1, 4])), "different widths"),
    "string value": (damaged(lambda d: d["tensors"][1].__setitem__(0, "1")), "finite number"),
    "huge value": (damaged(lambda d: d["tensors"][1].__setitem__(0, 12345.5)), "finite number"),  # -> 1e400
    "keys out of order": (damaged(lambda d: d["tensors"].__setitem__(0, {"1": 0, "0": 1, "2": 0, "3": 1, "4": 0, "5": 0})),
                          "keyed 0, 1, 2"),
    "tensor a string": (damaged(lambda d: d["tensors"].__setitem__(1, "010")), "must be a list"),
    "empty label": (damaged(lambda d: d["dataset"]["0"].update(label="")), "non-empty string"),
    "label a list": (damaged(lambda d: d["dataset"]["0"].update(label=["a"])), "non-empty string"),
    "same label twice": (damaged(lambda d: d["dataset"]["1"].update(label="a")), "gives the label 'a' to two classes"),
    "int16 dtype": (damaged(lambda d: d["dataset"]["0"].update(dtype="int16")), "dtype must be 'float32'"),
    "nothing": ({"dataset": {}, "tensors": []}, "holds no examples"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_damaged_files_are_refused_and_the_examples_stay(tmp_path, name):
    document, message = BAD_FILES[name]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document).replace("12345.5", "1e400"))
    knn = KNNClassifier()
    knn.add_example([1, 2, 3], "kept")
    before = copy.deepcopy(knn.__dict__)
    with pytest.raises(ModelFileError, match=message):
        knn.load(path)
    assert knn.get_count_by_label() == {"kept": 1} and knn._count == before["_count"]
    np.testing.assert_array_equal(knn._rows, before["_rows"])


def test_the_good_document_itself_loads(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(good_document()))
    knn = KNNClassifier().load(path)
    assert knn.get_count_by_label() == {"a": 2, "b": 1}
    assert knn.classify_sync([0, 1, 0], k=1)["label"] == "b"


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"\xff\xfe garbage"), "not valid JSON"),
    (lambda p: p.write_text("[" * 100000 + "]" * 100000), "not valid JSON|not a KNN classifier file"),
    (lambda p: p.write_text('{"dataset": {}, "tensors": [NaN]}'), "not valid JSON"),
    (lambda p: os.mkfifo(p), "not a regular file"),
    (lambda p: None, "Cannot read"),
])
def test_unreadable_files_are_refused_quickly(tmp_path, make, message):
    path = tmp_path / "knn.json"
    make(path)
    with pytest.raises(ModelFileError, match=message):
        KNNClassifier().load(path)


@pytest.mark.parametrize("path", ["", "a\0b.json", "x" * 300 + ".json", 42, None])
def test_bad_paths_are_refused(tmp_path, path):
    knn = KNNClassifier()
    knn.add_example([1, 2], "a")
    with pytest.raises(ModelFileError):
        knn.save(path)
    with pytest.raises(ModelFileError):
        knn.load(path)
