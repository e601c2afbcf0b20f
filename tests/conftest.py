"""Shared fixtures: a virtual X display for py5, and a runner for sketches in a subprocess.

py5 needs a display (it refuses to import headless), and one JVM runs one sketch well, so every
real-sketch test starts its own Python process on the session's Xvfb screen. One Xvfb serves the
whole run: the main pytest process starts it and every pytest-xdist worker (``-n auto``) and
every sketch subprocess draws on it. Sketch processes are forked from a warm Python that has
already imported torch (``tests/zygote.py``), which saves each one about 3 s of CPU, and their
JVMs map a class-data archive written at the start of the run (``tests/jvm_archive.py``).
``-n auto`` runs one worker more than there are cores.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
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
_ARCHIVE = "PY5ML_TEST_JVM_ARCHIVE"  # likewise: tests/jvm_archive.py writes it, tests/zygote.py reads it
_shared_xvfb, _archive_build = [], []


def pytest_configure(config):
    """Start the run's one Xvfb in the main process, before xdist starts its workers, and
    build the run's class-data archive in the background (see tests/jvm_archive.py)."""
    if hasattr(config, "workerinput") or os.environ.get(_SHARED) or shutil.which("Xvfb") is None:
        return
    proc, name = _start_xvfb()
    _shared_xvfb.append(proc)
    os.environ[_SHARED] = name
    if os.environ.get("PY5ML_TESTS_FRESH") != "1":
        folder = tempfile.mkdtemp(prefix="py5ml-jvm-archive-")
        os.environ[_ARCHIVE] = os.path.join(folder, "py5.jsa")
        build = subprocess.Popen([sys.executable, str(ROOT / "tests" / "jvm_archive.py"), os.environ[_ARCHIVE]],
                                 env=dict(os.environ, DISPLAY=name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _archive_build.append((build, folder))


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: `-p no:xdist` must still run
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker more than there are cores (at most one per 1.5 GB of memory).

    A sketch test spends much of its time waiting: for the next frame at 60 fps, for its JVM
    to start and to end. With a worker per core those waits leave cores idle; one more worker
    fills them. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still sets the number, as in pytest-xdist.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(1, min(len(os.sched_getaffinity(0)) + 1, int(memory // 1.5e9)))


def pytest_collection_modifyitems(items):
    """Files with the most real-sketch tests first, so no long file starts last under xdist.

    ``--dist loadfile`` hands out files in this order; a long file handed out last would leave
    the other worker idle while it runs. Tests within a file keep their order.
    """
    sketches = Counter()  # in first-seen order
    for item in items:
        sketches[item.path] += "display" in getattr(item, "fixturenames", ())
    first_seen = {path: n for n, path in enumerate(sketches)}
    items.sort(key=lambda item: (-sketches[item.path], first_seen[item.path]))


def pytest_unconfigure(config):
    while _archive_build:
        build, folder = _archive_build.pop()
        build.kill()
        build.wait()
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(_ARCHIVE, None)
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


class Zygote:
    """This worker's warm Python (tests/zygote.py): runs scripts in forked, fresh-started children."""

    _one = None

    @classmethod
    def get(cls):
        if cls._one is None or cls._one.proc.poll() is not None:
            cls._one = cls()
        return cls._one

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "zygote.py")], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        self.pending = b""
        self.ready = False

    def _wait_ready(self):
        if not self.ready:
            self._reply(180)  # {"ready": true} once torch and the rest are imported
            self.ready = True

    def _reply(self, timeout):
        """The server's next JSON line; TimeoutError if none comes within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"tests/zygote.py died (exit status {self.proc.wait()})")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, argv, cwd, env, timeout):
        """Like ``subprocess.run(capture_output=True, text=True)`` for ``python *argv``."""
        self._wait_ready()
        with tempfile.TemporaryDirectory(prefix="py5ml-zygote-") as tmp:
            out, err = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
            request = {"argv": argv, "cwd": str(cwd), "env": env, "stdout": out, "stderr": err}
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
            pid = self._reply(60)["pid"]
            try:
                rc = self._reply(timeout)["rc"]
            except TimeoutError:
                self._kill(pid)
                self._reply(60)
                raise subprocess.TimeoutExpired([sys.executable, *argv], timeout, _read(out), _read(err))
            return subprocess.CompletedProcess([sys.executable, *argv], rc, _read(out), _read(err))

    @staticmethod
    def _kill(pid):
        for kill, target in ((os.killpg, pid), (os.kill, pid)):
            try:
                kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass

    @classmethod
    def stop(cls):
        if cls._one is not None:
            cls._one.proc.stdin.close()
            cls._one.proc.wait(timeout=30)
            cls._one = None


def _read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


@pytest.fixture(scope="session", autouse=True)
def _warm_zygote():
    """An xdist worker starts its warm Python at once, so it imports torch while the first tests run."""
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("PY5ML_TESTS_FRESH") != "1":
        Zygote.get()
    yield
    Zygote.stop()


def python_run(args, *, cwd=ROOT, env=None, timeout=240, fresh=False):
    """``python *args``, like ``subprocess.run(capture_output=True, text=True)``; returns CompletedProcess.

    The process is forked from this worker's warm Python (torch already imported). Pass
    ``fresh=True`` where the test is about a fresh interpreter: what it imports, how fast it starts.
    ``PY5ML_TESTS_FRESH=1`` starts every one fresh, as the suite did before.
    """
    args, env = [str(a) for a in args], dict(os.environ if env is None else env)
    if fresh or os.environ.get("PY5ML_TESTS_FRESH") == "1":
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, timeout=timeout,
                              capture_output=True, text=True)
    return Zygote.get().run(args, cwd, env, timeout)


@pytest.fixture
def run_py(display):
    """Run a Python file (or ``-c`` code) with this venv under Xvfb; fails the test on a non-zero exit."""

    def run(*args, timeout=240, cwd=ROOT, check=True, fresh=False):
        env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1")
        proc = python_run(args, cwd=cwd, env=env, timeout=timeout, fresh=fresh)
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
