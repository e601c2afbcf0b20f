"""``keep`` and ``latest`` outside live coding, and what tells one version of a maker from another.

Under live coding they are tested for real in test_live_coding.py (py5-live-coding) and
test_live_coding_jupyter.py (a Jupyter kernel). Here: a plain run gets plain behaviour.
"""

import pytest

import py5ml
from py5ml.live._keep import _fingerprint


def test_outside_live_coding_keep_just_makes_the_object():
    made = []

    def make(*args, **kwargs):
        made.append((args, kwargs))
        return object()

    first = py5ml.keep("thing", make, 1, size=2)
    second = py5ml.keep("thing", make, 1, size=2)
    assert first is not second  # nothing is kept when there is nothing to survive
    assert made == [((1,), {"size": 2})] * 2
    assert not py5ml.is_live_coding()


def test_outside_live_coding_latest_gives_the_function_itself():
    def got_results(results):
        return results

    assert py5ml.latest(got_results) is got_results


@pytest.mark.parametrize("name", ["", None, 3])
def test_keep_needs_a_name(name):
    with pytest.raises(py5ml.Py5mlError, match=r'keep\(\) needs a name first, like keep\("nn", make_network\)'):
        py5ml.keep(name, dict)


def test_keep_needs_a_maker_not_the_made_object():
    with pytest.raises(py5ml.Py5mlError, match=r"without the parentheses, or keep\('nn', lambda: \.\.\.\)"):
        py5ml.keep("nn", {"not": "callable"})


def _maker(source):
    namespace = {}
    exec(compile(source, "sketch.py", "exec"), namespace)
    return namespace["make"]


def test_the_same_code_on_other_lines_is_the_same_maker():
    a = _maker("def make():\n    return dict(hidden_units=16)\n")
    b = _maker("\n\n\n# a comment moved it down\ndef make():\n    return dict(hidden_units=16)\n")
    assert _fingerprint(a, (), {}, {}) == _fingerprint(b, (), {}, {})


def test_a_changed_setting_or_argument_is_a_new_maker():
    a = _maker("def make():\n    return dict(hidden_units=16)\n")
    b = _maker("def make():\n    return dict(hidden_units=32)\n")
    assert _fingerprint(a, (), {}, {}) != _fingerprint(b, (), {}, {})
    assert _fingerprint(dict, (), {"size": 1}, {}) != _fingerprint(dict, (), {"size": 2}, {})


def test_kept_arguments_count_as_that_kept_object():
    data, remade = object(), object()
    store = {"colors": (data, None)}
    assert _fingerprint(dict, (data,), {}, store) == _fingerprint(dict, (data,), {}, store)
    assert _fingerprint(dict, (data,), {}, store)[1][0].startswith("kept:colors:")
    # made again (say its code changed): what was made from it is made again too
    assert _fingerprint(dict, (data,), {}, store) != _fingerprint(dict, (remade,), {}, {"colors": (remade, None)})


def test_a_method_of_a_new_object_is_a_new_maker():
    class Extractor:
        def classification(self):
            return []

    old, new = Extractor(), Extractor()
    store = {"extractor": (old, None)}
    assert _fingerprint(old.classification, (), {}, store) != _fingerprint(new.classification, (), {}, {"extractor": (new, None)})
