"""Shared fixtures: a virtual X display for py5, and a runner for sketches in a subprocess.

py5 needs a display (it refuses to import headless), and one JVM runs one sketch well, so every
real-sketch test starts its own Python process on the session's Xvfb screen. One Xvfb serves the
whole run: the main pytest process starts it and every pytest-xdist worker (``-n auto``) and
every sketch subprocess draws on it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COLOR_DATA = ROOT.parent / "shared" / "data" / "colorData.json"


def _start_xvfb():
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not start: install it with `apt-get install -y xvfb`")
    return proc, f":{number}"


_SHARED = "PY5ML_TEST_DISPLAY"  # set by the main process, inherited by xdist workers
_shared_xvfb = []


def pytest_configure(config):
    """Start the run's one Xvfb in the main process, before xdist starts its workers."""
    if hasattr(config, "workerinput") or os.environ.get(_SHARED) or shutil.which("Xvfb") is None:
        return
    proc, name = _start_xvfb()
    _shared_xvfb.append(proc)
    os.environ[_SHARED] = name


def pytest_unconfigure(config):
    while _shared_xvfb:
        proc = _shared_xvfb.pop()
        os.environ.pop(_SHARED, None)
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def display():
    """A DISPLAY for py5: the run's shared Xvfb (or, without one, this session's own)."""
    if os.environ.get(_SHARED):
        old = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = os.environ[_SHARED]
        yield os.environ[_SHARED]
        _restore_display(old)
        return
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: run `bash scripts/setup.sh` (it installs Debian's xvfb)")
    proc, name = _start_xvfb()
    old = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = name
    yield name
    proc.terminate()
    proc.wait(timeout=10)
    _restore_display(old)


def _restore_display(old):
    if old is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = old


@pytest.fixture
def run_py(display):
    """Run a Python file (or ``-c`` code) with this venv under Xvfb; returns CompletedProcess."""

    def run(*args, timeout=240, cwd=ROOT, check=True):
        env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1")
        proc = subprocess.run(
            [sys.executable, *map(str, args)], cwd=cwd, env=env, timeout=timeout,
            capture_output=True, text=True,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{args} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
            )
        return proc

    return run


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models run fastest on one thread, and torch's thread pool crawls on a busy machine."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def color_data_path():
    if not COLOR_DATA.exists():
        pytest.skip(f"{COLOR_DATA} not found (the shared Coding Train color data)")
    return COLOR_DATA
