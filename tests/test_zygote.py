"""The warm start for sketch tests (tests/zygote.py) runs a script as a fresh ``python`` would."""

import subprocess
import textwrap
import time

import pytest

from conftest import python_run


@pytest.fixture(autouse=True)
def _warm(monkeypatch):
    """These tests are about the warm start, so PY5ML_TESTS_FRESH=1 must not turn it off here."""
    monkeypatch.delenv("PY5ML_TESTS_FRESH", raising=False)


PROBE = textwrap.dedent("""
    import os, sys, threading, time
    print("name", __name__, "file", os.path.basename(__file__))
    print("argv", sys.argv[1:], "path0", os.path.basename(sys.path[0]))
    print("cwd", os.path.basename(os.getcwd()), "env", os.environ.get("PROBE_ENV"), "unset", os.environ.get("PROBE_GONE"))
    print("stdin", repr(sys.stdin.read()))
    sys.stderr.write("to stderr\\n")
    done = []
    threading.Thread(target=lambda: (time.sleep(0.3), done.append(1), print("thread joined"))).start()
    if sys.argv[1:] == ["raise"]:
        raise ValueError("raised at the top level")
    sys.exit(int(sys.argv[1]) if sys.argv[1:] else 0)
""")


@pytest.fixture
def probe(tmp_path, monkeypatch):
    script = tmp_path / "scripts" / "probe.py"
    script.parent.mkdir()
    script.write_text(PROBE)
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("PROBE_GONE", "inherited by the pytest worker, not by the probe")
    return script


def run_both(probe, *args):
    env = {"PATH": "/usr/bin:/bin", "PROBE_ENV": "given"}
    cwd = probe.parent.parent / "work"
    fresh = python_run([probe, *args], cwd=cwd, env=env, timeout=60, fresh=True)
    warm = python_run([probe, *args], cwd=cwd, env=env, timeout=60)
    return fresh, warm


@pytest.mark.parametrize("args", [(), ("3",), ("raise",)])
def test_a_forked_run_prints_and_exits_as_a_fresh_python_does(probe, args):
    fresh, warm = run_both(probe, *args)
    assert warm.returncode == fresh.returncode == {(): 0, ("3",): 3, ("raise",): 1}[args]
    assert warm.stdout == fresh.stdout
    assert "name __main__ file probe.py" in warm.stdout and "path0 scripts" in warm.stdout
    assert "cwd work env given unset None" in warm.stdout and "stdin ''" in warm.stdout
    assert warm.stdout.rstrip().endswith("thread joined")  # non-daemon threads are joined at exit
    assert warm.stderr == fresh.stderr


def test_an_uncaught_error_shows_the_scripts_frames_only(probe):
    _, warm = run_both(probe, "raise")
    assert warm.stderr.count("Traceback (most recent call last)") == 1
    assert "ValueError: raised at the top level" in warm.stderr
    assert "zygote.py" not in warm.stderr and "runpy" not in warm.stderr


def test_code_given_with_c_runs_too(tmp_path):
    code = "import sys, torch; print(sys.argv, sys.path[0] == '', 'torch' in sys.modules)"
    warm = python_run(["-c", code, "a", "b"], cwd=tmp_path, timeout=60)
    assert warm.returncode == 0 and warm.stdout == "['-c', 'a', 'b'] True True\n"


def test_a_run_past_its_timeout_is_killed_and_the_next_run_works(tmp_path):
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired) as caught:
        python_run(["-c", "import time; print('started', flush=True); time.sleep(60)"], cwd=tmp_path, timeout=2)
    assert time.monotonic() - started < 20
    assert caught.value.output == "started\n"
    assert python_run(["-c", "print('next')"], cwd=tmp_path, timeout=60).stdout == "next\n"
