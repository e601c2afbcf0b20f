"""The public API: every name in ``py5ml.__all__`` exists, is listed once, and star-imports."""

import subprocess
import sys
from collections import Counter

import py5ml


def test_every_public_name_exists():
    missing = [name for name in py5ml.__all__ if not hasattr(py5ml, name)]
    assert missing == []


def test_every_public_name_is_listed_once():
    assert [name for name, n in Counter(py5ml.__all__).items() if n > 1] == []


def test_star_import_gives_exactly_the_public_names():
    namespace = {}
    exec("from py5ml import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(py5ml.__all__)
    assert all(namespace[name] is getattr(py5ml, name) for name in py5ml.__all__)


def test_public_classes_and_functions_say_they_are_py5mls():
    for name in py5ml.__all__:
        obj = getattr(py5ml, name)
        if callable(obj):
            assert obj.__module__.startswith("py5ml."), name
            assert obj.__doc__, f"{name} has no docstring"


def test_errors_share_one_base():
    for name in ("DataError", "ModelFileError", "TrainingError", "BackboneError"):
        assert issubclass(getattr(py5ml, name), py5ml.Py5mlError)
    assert issubclass(py5ml.DataError, ValueError)  # so `except ValueError` still catches bad data


def test_importing_py5ml_does_not_need_py5_or_a_display():
    code = "import sys, py5ml; print('py5' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_importing_py5ml_does_not_import_torch():
    """The window can open while torch loads: only the names a sketch uses import their modules."""
    code = "import sys, py5ml; print('torch' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_an_unknown_name_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        py5ml.Nope
