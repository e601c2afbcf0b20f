"""A warm start for sketch tests: fork a Python that has already imported torch and numpy.

A sketch test runs its sketch in a fresh process, and a fresh process spends about 3 s of CPU
importing torch (and 2 s more for torchvision) before the sketch draws anything. This server
imports py5ml, numpy, torch, torchvision and PIL once; each request then forks a child that runs
one script as ``__main__``, exactly as ``python script.py ...`` would (argv, cwd, environment,
unbuffered stdout and stderr to files, uncaught exceptions printed and exit status 1, atexit
handlers and thread joins at the end).
py5 and its JVM are *not* imported here: a JVM does not survive a fork, so each child starts its
own, and every sketch still has a process of its own. That JVM gets two options a plain run
would not: it maps the run's class-data archive (``tests/jvm_archive.py``) and keeps quiet
about it. Before forking, the server freezes its imports' objects out of the garbage
collector's way (``gc.freeze()``), as py5ml does at a sketch's first frame.

Tests that check what a fresh process imports, or how long startup takes, must not use it
(``run_py(..., fresh=True)``).

Protocol, one JSON object per line: the client writes a request, the server answers
``{"pid": N}`` as soon as the child runs and ``{"rc": N}`` when it ends.
"""

import gc
import io
import json
import os
import runpy
import sys
import traceback
import types

from jvm_archive import jvm_options

# Not cv2: it starts a thread at import, and a fork copies only the thread that forks (OpenBLAS,
# started by numpy, re-creates its threads in the child itself).
WARM_MODULES = ("py5ml", "numpy", "torch", "torchvision", "PIL.Image")
# The class-data archive that conftest.py has tests/jvm_archive.py write; used once it exists.
JVM_ARCHIVE = os.environ.get("PY5ML_TEST_JVM_ARCHIVE")


def _redirect(fd, path, mode):
    target = os.open(path, mode, 0o644)
    os.dup2(target, fd)
    os.close(target)


def _unbuffered(fd):
    return io.TextIOWrapper(open(fd, "wb", buffering=0, closefd=False), write_through=True,
                            encoding="utf-8", errors="backslashreplace")


def _is_ours(filename):
    return filename in (__file__, runpy.__file__, "<frozen runpy>")


def _child(request):
    """Runs in the forked child; never returns normally (it raises SystemExit)."""
    os.setpgid(0, 0)  # the test can kill the sketch, its JVM and whatever it started, together
    _redirect(0, os.devnull, os.O_RDONLY)
    _redirect(1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    _redirect(2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    sys.stdin = open(0, closefd=False)
    sys.stdout, sys.stderr = _unbuffered(1), _unbuffered(2)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    argv = request["argv"]
    if JVM_ARCHIVE and os.path.exists(JVM_ARCHIVE):
        import py5_tools  # py5 imports it anyway

        py5_tools.add_options(*jvm_options(JVM_ARCHIVE))
    try:
        if argv[0] == "-c":  # the code's globals are sys.modules["__main__"], as with python -c
            sys.argv, sys.path[0] = ["-c", *argv[2:]], ""
            main = sys.modules["__main__"] = types.ModuleType("__main__")
            exec(compile(argv[1], "<string>", "exec"), vars(main))
        else:
            sys.argv, sys.path[0] = list(argv), os.path.dirname(os.path.abspath(argv[0]))
            runpy.run_path(argv[0], run_name="__main__")
    except SystemExit:
        raise
    except BaseException as error:  # print it as the interpreter would, without this file's frames
        tb = error.__traceback__
        while tb is not None and _is_ours(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        traceback.print_exception(type(error), error, tb)
        raise SystemExit(1)
    raise SystemExit(0)


def serve():
    for name in WARM_MODULES:
        __import__(name)
    # What the imports made lives as long as the child. Frozen, the child's garbage collector
    # never walks it: walking it would touch, and so copy, every page the fork shares
    # (a 60-frame sketch took 6.8 s from this server without this, 4.7 s with it).
    gc.collect()
    gc.freeze()
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    replies.write(b'{"ready": true}\n')
    replies.flush()
    for line in requests:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        replies.write(json.dumps({"pid": pid}).encode() + b"\n")
        replies.flush()
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"rc": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        replies.flush()


if __name__ == "__main__":
    serve()
