"""KNNClassifier: ml5's KNN classifier — votes of the nearest examples, callbacks on a later frame,
the ml5 result shape, and every bad input refused with a py5ml error that leaves the state as it was."""

import copy

import numpy as np
import pytest
import torch

import py5ml
from py5ml import DataError, KNNClassifier, get_scheduler


def clusters(seed=0, per_label=6, width=16):
    """Examples around three directions: label "a" near axis 0, "b" near 1, "c" near 2."""
    rng = np.random.default_rng(seed)
    for i in range(per_label):
        for axis, label in enumerate("abc"):
            centre = np.zeros(width)
            centre[axis] = 5.0
            yield centre + rng.normal(0, 0.5, width), label


@pytest.fixture
def knn():
    classifier = KNNClassifier()
    for features, label in clusters():
        classifier.add_example(features, label)
    return classifier


def state(classifier):
    return copy.deepcopy(classifier.__dict__)


def assert_same_state(before, classifier):
    after = classifier.__dict__
    assert before.keys() == after.keys()
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, after[key])
        else:
            assert value == after[key], key


def test_classifies_by_the_nearest_examples_with_ml5s_result_shape(knn):
    result = knn.classify_sync(np.eye(16)[1] * 3)
    assert set(result) == {"label", "classIndex", "confidences", "confidencesByLabel"}
    assert result["label"] == "b" and result["classIndex"] == 1
    assert result["confidences"] == {0: 0.0, 1: 1.0, 2: 0.0}
    assert result["confidencesByLabel"] == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_confidence_is_the_share_of_the_k_nearest_votes():
    knn = KNNClassifier()
    for features, label in [([1, 0], "x"), ([0.9, 0.1], "x"), ([0.8, 0.2], "y"), ([0, 1], "y"), ([0.1, 1], "y")]:
        knn.add_example(features, label)
    near_x = knn.classify_sync([1, 0.05], k=3)  # nearest: x, x, y
    assert near_x["label"] == "x" and near_x["confidencesByLabel"] == pytest.approx({"x": 2 / 3, "y": 1 / 3})
    everyone = knn.classify_sync([1, 0.05], k=50)  # k larger than the examples: all of them vote
    assert everyone["label"] == "y" and everyone["confidencesByLabel"] == pytest.approx({"x": 0.4, "y": 0.6})


def test_similarity_is_cosine_so_the_length_of_features_does_not_matter(knn):
    direction = np.eye(16)[2]
    assert knn.classify_sync(direction * 0.001)["label"] == knn.classify_sync(direction * 1000)["label"] == "c"


def test_features_come_as_numpy_torch_lists_or_nested(knn):
    v = np.eye(16)[0] * 4
    for form in (v, v.astype(np.float64), torch.tensor(v), v.tolist(), v.reshape(4, 4), v.reshape(1, 16).tolist()):
        assert knn.classify_sync(form)["label"] == "a"


def test_class_indices_work_as_labels_like_ml5():
    knn = KNNClassifier()
    knn.add_example([1, 0, 0], 0)
    knn.add_example([0, 1, 0], 1)
    result = knn.classify_sync([0.1, 1, 0], k=1)
    assert result["classIndex"] == 1 and result["label"] == "1"
    assert knn.get_count() == {0: 1, 1: 1} and knn.get_count_by_label() == {"0": 1, "1": 1}


def test_a_one_item_list_label_is_its_item_as_in_ml5s_examples():
    knn = KNNClassifier()
    knn.add_example([1, 0], ["rock"])
    assert knn.get_count_by_label() == {"rock": 1}


def test_counts_and_clearing(knn):
    assert knn.get_count() == {0: 6, 1: 6, 2: 6}
    assert knn.get_count_by_label() == {"a": 6, "b": 6, "c": 6}
    assert knn.get_num_labels() == 3
    knn.clear_label("b")
    assert knn.get_count_by_label() == {"a": 6, "c": 6}
    assert knn.classify_sync(np.eye(16)[1])["label"] in {"a", "c"}  # "b" is gone
    knn.add_example(np.eye(16)[1], "b")  # comes back with its old class index, as in ml5
    assert knn.get_count() == {0: 6, 1: 1, 2: 6}
    knn.clear_label(0)
    assert knn.get_count_by_label() == {"b": 1, "c": 6}
    knn.clear_all_labels()
    assert knn.get_count() == {} and knn.get_num_labels() == 0
    knn.add_example(np.ones(5), "new")  # a fresh start may use another width
    assert knn.get_count_by_label() == {"new": 1}


def test_ties_go_to_the_lowest_class_index_as_in_ml5():
    knn = KNNClassifier()
    knn.add_example([1, 0], "first")
    knn.add_example([0, 1], "second")
    assert knn.classify_sync([1, 1], k=2)["label"] == "first"


def test_thousands_of_examples_match_a_brute_force_reference():
    rng = np.random.default_rng(3)
    features = rng.normal(size=(3000, 64)).astype(np.float32)
    labels = rng.integers(0, 5, 3000)
    knn = KNNClassifier()
    for row, label in zip(features, labels):
        knn.add_example(row, f"class{label}")
    unit = features / np.linalg.norm(features, axis=1, keepdims=True)
    for query in rng.normal(size=(20, 64)):
        similarity = unit @ (query / np.linalg.norm(query))
        nearest = np.argsort(-similarity)[:7]
        votes = np.bincount(labels[nearest], minlength=5)
        expected = {f"class{c}": votes[c] / 7 for c in range(5)}
        result = knn.classify_sync(query, k=7)
        assert result["confidencesByLabel"] == pytest.approx(expected)
        assert result["confidencesByLabel"][result["label"]] == max(expected.values())


# -- callbacks on the frame clock ---------------------------------------------------------
def test_callbacks_in_every_shape_arrive_on_a_later_frame(knn):
    got = []

    def two(error, result):
        got.append(("two", error, result["label"]))

    def one(result):
        got.append(("one", result["label"]))

    def none():
        got.append(("none",))

    scheduler = get_scheduler()
    tasks = [knn.classify(np.eye(16)[0], callback=two), knn.classify(np.eye(16)[1], 3, one),
             knn.classify(np.eye(16)[2], none)]  # ml5's classify(features, callback)
    assert got == []  # never inside the call
    scheduler.step()
    assert got == [("two", None, "a"), ("one", "b"), ("none",)]
    assert [t.result["label"] for t in tasks] == ["a", "b", "c"]


def test_classifying_again_inside_the_callback_runs_once_per_frame_forever(knn):
    results = []

    def got_results(error, result):
        results.append(result["label"])
        knn.classify(np.eye(16)[0], got_results)

    knn.classify(np.eye(16)[0], got_results)
    scheduler = get_scheduler()
    for frame in range(1200):  # far beyond the ~490 calls that overflowed the stack before
        scheduler.step()
        assert len(results) == frame + 1
    assert set(results) == {"a"}


def test_the_awaitable_form(knn):
    async def run():
        return await knn.classify_async(np.eye(16)[2], k=5)

    task = py5ml.start_task(run())
    scheduler = get_scheduler()
    for _ in range(3):
        scheduler.step()
    assert task.result["label"] == "c"


# -- bad input: a py5ml error, and nothing changed ------------------------------------------
@pytest.mark.parametrize("features, message", [
    (np.ones(15), "These features have 15 numbers, but this classifier's examples have 16"),
    (np.ones(17), "have 16"),
    ([1.0] * 15 + [float("nan")], "NaN or infinite"),
    ([1.0] * 15 + [float("inf")], "NaN or infinite"),
    ("0123456789abcdef", "features must be numbers"),
    (None, "features must be numbers"),
    ({"x": 1}, "features must be numbers"),
    ([[1, 2], [3]], "flat list or array of numbers"),
    (["1"] * 16, "flat list or array of numbers"),
    ([10**40] * 16, "flat list or array of numbers"),
    ([], "between 1 and"),
])
def test_bad_features_are_refused_and_nothing_changes(knn, features, message):
    before = state(knn)
    with pytest.raises(DataError, match=message):
        knn.add_example(features, "a")
    with pytest.raises(DataError, match=message):
        knn.classify_sync(features)
    with pytest.raises(DataError, match=message):
        knn.classify(features, callback=print)
    assert_same_state(before, knn)


@pytest.mark.parametrize("label, message", [
    ("", "non-empty string"), ("   ", "non-empty string"), (None, "non-empty string"),
    (["a", "b"], "non-empty string"), ([], "non-empty string"), (True, "non-empty string"),
    ({"label": "a"}, "non-empty string"), (-1, "class index must be between 0 and 9999"), (10**12, "between 0 and 9999"),
])
def test_bad_labels_are_refused_and_nothing_changes(knn, label, message):
    before = state(knn)
    with pytest.raises(DataError, match=message):
        knn.add_example(np.eye(16)[0], label)
    assert_same_state(before, knn)


@pytest.mark.parametrize("k, message", [
    (0, "k must be at least 1"), (-2, "k must be at least 1"), (2.5, "k must be a whole number"),
    ("3", "k must be a whole number"), (None, "k must be a whole number"), (True, "k must be a whole number"),
])
def test_bad_k_is_refused(knn, k, message):
    before = state(knn)
    with pytest.raises(DataError, match=message):
        knn.classify_sync(np.eye(16)[0], k=k)
    with pytest.raises(DataError, match=message):
        knn.classify(np.eye(16)[0], k, print)
    assert_same_state(before, knn)


def test_classifying_without_examples_says_what_to_do():
    with pytest.raises(DataError, match=r"no examples in any label yet: add some with add_example"):
        KNNClassifier().classify_sync([1, 2, 3])


@pytest.mark.parametrize("label", ["d", 7, "", None])
def test_clearing_an_unknown_label_names_the_known_ones(knn, label):
    before = state(knn)
    with pytest.raises(DataError, match=r"There is no label .* to clear. Labels with examples: 'a', 'b', 'c'"):
        knn.clear_label(label)
    assert_same_state(before, knn)


def test_a_digit_label_names_the_bare_class_index_it_shows_as():
    knn = KNNClassifier()
    knn.add_example([1, 0], 1)
    knn.add_example([0, 1], "1")  # shown as "1" already: the same class, not a second "1"
    assert knn.get_count() == {1: 2} and knn.get_count_by_label() == {"1": 2}
    knn.clear_label("1")
    assert knn.get_count() == {}
