"""KNNClassifier under property-based input: whatever a sketch passes, only py5ml errors escape,
a refused call leaves the classifier exactly as it was, and accepted calls keep it consistent."""

import copy
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from py5ml import KNNClassifier, Py5mlError

WIDTH = 4

numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.integers(-10**40, 10**40))
features = st.one_of(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=WIDTH, max_size=WIDTH),  # mostly good
    st.lists(numbers, min_size=0, max_size=6),
    st.text(max_size=8), st.none(), st.booleans(), st.dictionaries(st.text(max_size=3), numbers, max_size=2),
    st.lists(st.lists(numbers, max_size=3), max_size=3),
)
labels = st.one_of(st.sampled_from(["a", "b", "c"]), st.integers(-3, 12), st.text(max_size=4), st.none(),
                   st.lists(st.text(max_size=3), max_size=2), st.floats(allow_nan=True), st.booleans())
ks = st.one_of(st.integers(-2, 20), st.floats(allow_nan=True), st.text(max_size=2), st.none(), st.booleans())
calls = st.lists(st.one_of(
    st.tuples(st.just("add"), features, labels),
    st.tuples(st.just("classify"), features, ks),
    st.tuples(st.just("clear"), labels, st.none()),
), max_size=25)


def snapshot(knn):
    state = copy.deepcopy(knn.__dict__)
    state["_rows"] = state["_rows"].tobytes() + repr(state["_rows"].shape).encode()
    state["_classes"] = state["_classes"].tobytes()
    return state


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls)
def test_only_py5ml_errors_escape_and_refused_calls_change_nothing(steps):
    knn = KNNClassifier()
    for kind, a, b in steps:
        before = snapshot(knn)
        try:
            if kind == "add":
                knn.add_example(a, b)
            elif kind == "classify":
                result = knn.classify_sync(a, b)
                assert result["label"] in knn.get_count_by_label()
                assert abs(sum(result["confidences"].values()) - 1) < 1e-6
            else:
                knn.clear_label(a)
        except Py5mlError:
            assert snapshot(knn) == before
        counts = knn.get_count()
        assert sum(counts.values()) == knn._count and all(n > 0 for n in counts.values())
        assert len(set(knn.get_count_by_label())) == len(counts)  # no two classes share a label


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                              st.text(max_size=4)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.sampled_from(["0", "1", "dataset", "tensors", "shape",
                                                                             "label", "dtype", "x"]), inner, max_size=4)),
                    max_leaves=30))
def test_any_json_in_a_knn_file_loads_or_is_refused_with_a_py5ml_error(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("knn") / "k.json"
    path.write_text(json.dumps(document))
    knn = KNNClassifier()
    knn.add_example([1, 2, 3], "kept")
    try:
        knn.load(path)
    except Py5mlError:
        assert knn.get_count_by_label() == {"kept": 1}
    else:
        assert knn.get_num_labels() > 0 and np.isfinite(knn._rows).all()
