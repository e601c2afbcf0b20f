"""The warm start for sketch tests (tests/zygote.py) runs a script as a fresh ``python`` would."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT, python_run


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


CLASS_LOG = textwrap.dedent("""
    import sys
    import py5ml, py5_tools
    py5_tools.add_options(f"-Xlog:class+load=info:file={sys.argv[1]}")
    import py5
    print("jvm", py5_tools.is_jvm_running())
""")


def test_a_sketch_jvm_loads_py5_from_the_runs_class_data_archive(display, tmp_path):
    archive = os.environ.get("PY5ML_TEST_JVM_ARCHIVE")
    if not archive:
        pytest.skip("this run has no class-data archive (PY5ML_TESTS_FRESH=1, or no Xvfb)")
    deadline = time.monotonic() + 120  # conftest builds it in the background at the start
    while not os.path.exists(archive) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert os.path.exists(archive), "tests/jvm_archive.py wrote no archive: run it by hand to see why"
    log = tmp_path / "classes.log"
    proc = python_run(["-c", CLASS_LOG, log], env=dict(os.environ, DISPLAY=display))
    assert proc.returncode == 0 and "jvm True" in proc.stdout, proc.stderr
    papplet = [line for line in log.read_text().splitlines() if "processing.core.PApplet " in line]
    assert papplet and "shared objects file (top)" in papplet[0], papplet


def test_no_archive_is_written_when_its_sketch_fails(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # py5 will not start headless
    done = subprocess.run([sys.executable, "tests/jvm_archive.py", tmp_path / "py5.jsa"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and list(tmp_path.iterdir()) == []
