"""A quick JIT for the JVM that runs py5, when py5ml is imported before py5.

py5 runs Processing in a Java virtual machine, and the JVM compiles Java code twice over: first
quickly (C1), then, for code that runs often, slowly and thoroughly (C2). For the first seconds
of a sketch, C2 is busy compiling the drawing code. On a machine whose cores are all busy (a
neighbour burning a core, and py5ml training between frames), that warm-up drags on and frames
run late: 11-16% of frames over 18.5 ms while training, frame p95 20-22 ms. With C1 alone
(``-XX:TieredStopAtLevel=1``) the same run holds p95 at 17.4-17.6 ms, and training gets more of
the spare time. The price: Java-heavy drawing runs slower once warm (``apply_filter(BLUR)``,
thousands of shapes a frame: about 1.1-1.6x; ``benchmarks/jit_drawing_cost.py`` measures it).

The JVM starts when py5 is imported, so this works only when ``import py5ml`` comes first, as in
py5ml's sketches. Set the environment variable ``PY5ML_JIT=full`` to keep the JVM's default.

Example::

    import py5ml  # first: the JVM py5 starts will use the quick JIT
    import py5

    def setup():
        py5.size(400, 400)

    def draw():
        py5.background(py5.frame_count % 255)

    py5.run_sketch()
"""

import importlib.util
import os
import sys

__all__ = ["QUICK_JIT", "request_quick_jit", "jit_mode"]

QUICK_JIT = "-XX:TieredStopAtLevel=1"
_requested = []
_warned = []


def jit_mode() -> str:
    """``"quick"`` (the default) or ``"full"``, from ``PY5ML_JIT``. Anything else is reported
    (once, on stderr) and read as ``"quick"``: a typo in a tuning variable should not stop a sketch."""
    value = os.environ.get("PY5ML_JIT", "")
    mode = value.strip().lower() or "quick"
    if mode in ("quick", "full"):
        return mode
    if not _warned:
        _warned.append(value)
        print(f'py5ml: PY5ML_JIT must be "quick" or "full", got {value[:40]!r}; using "quick". '
              "Unset it, or set PY5ML_JIT=full to keep the JVM's default JIT.", file=sys.stderr)
    return "quick"


def request_quick_jit() -> bool:
    """Ask py5 for the quick JIT if its JVM has not started yet; True if asked (or will be).

    ``import py5ml`` stays light: py5's tools are not imported here. If they are not loaded yet,
    a one-shot import hook adds the option the moment ``py5_tools.jvm`` loads, which py5 does
    just before it starts the JVM.
    """
    if _requested or "py5" in sys.modules or jit_mode() == "full":
        return bool(_requested)
    jvm = sys.modules.get("py5_tools.jvm")
    if jvm is not None:
        return _add_to(jvm)
    sys.meta_path.insert(0, _WhenJvmToolsLoad())
    _requested.append("pending")
    return True


def _add_to(jvm) -> bool:
    if jvm.is_jvm_running() or QUICK_JIT in jvm._options:
        return False
    jvm.add_options(QUICK_JIT)
    _requested.append(QUICK_JIT)
    return True


class _WhenJvmToolsLoad:
    """Finds nothing itself: when ``py5_tools.jvm`` is imported, wraps its loader so the quick
    JIT option is added right after the module runs, then steps out of the import system."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "py5_tools.jvm":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenAddOption(spec.loader)
        return spec


class _ThenAddOption:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        try:
            _add_to(module)
        except Exception:  # py5's tools changed shape: start with the JVM's default JIT
            pass
