"""py5ml asks py5's JVM for the quick JIT when it is imported first, and only then; long-lived
objects are frozen out of the GC's full sweeps at the first frame."""

import re

import pytest

from conftest import ROOT

SCRIPT = ROOT / "tests" / "sketch_scripts" / "jvm_and_gc.py"


def run_sketch(run_py, monkeypatch, jit_setting, *flags):
    if jit_setting is None:
        monkeypatch.delenv("PY5ML_JIT", raising=False)
    else:
        monkeypatch.setenv("PY5ML_JIT", jit_setting)
    out = run_py(SCRIPT, *flags, timeout=120, fresh=True)  # what py5ml does at import time
    jit = re.search(r"jit: (\w+)", out.stdout).group(1)
    frozen = {when: int(n) for when, n in re.findall(r"frozen (.+?): (\d+)", out.stdout)}
    return jit, frozen, out.stderr


@pytest.mark.parametrize("setting, flags, expected", [
    (None, (), "quick"),  # import py5ml first: the default
    ("full", (), "full"),  # PY5ML_JIT=full keeps the JVM's own JIT
    (None, ("py5-first",), "full"),  # py5 first: its JVM is running already, nothing changes
    (None, ("tools-first",), "quick"),  # py5_tools loaded but no JVM yet: still in time
])
def test_the_quick_jit_is_asked_for_only_before_py5_starts_its_jvm(run_py, monkeypatch, setting, flags, expected):
    jit, _, _ = run_sketch(run_py, monkeypatch, setting, *flags)
    assert jit == expected


def test_a_misspelled_setting_is_reported_and_the_default_used(run_py, monkeypatch):
    jit, _, stderr = run_sketch(run_py, monkeypatch, "fast")
    assert jit == "quick"
    assert 'PY5ML_JIT must be "quick" or "full", got \'fast\'; using "quick"' in stderr
    assert stderr.count("PY5ML_JIT must be") == 1


def test_the_first_frame_freezes_what_setup_made(run_py, monkeypatch):
    _, frozen, _ = run_sketch(run_py, monkeypatch, None)
    assert frozen["before the first frame"] == 0
    assert frozen["at frame 3"] > 10_000  # py5, JPype, numpy: out of the full sweeps
