"""Fuzz py5ml's public API: 10,000 hostile calls; only py5ml errors may escape, nothing may hang.

Each case draws an entry point (``_fuzz_cases.AREAS``: NeuralNetwork, fit, model files, color data,
TransferModel, KNN and data files) and hostile arguments or a damaged file (``_fuzz_values``),
makes the call with a per-case time limit, and sorts the outcome:

- accepted: the call returned;
- refused: it raised a ``Py5mlError`` (the state checks below must then hold);
- other: any other exception, a py5ml bug, listed with its input;
- hang: the call ran past ``--timeout`` seconds;
- changed: a refused call that left the object's state changed.

Usage: .venv/bin/python benchmarks/fuzz_api.py [--cases 10000] [--seed 0] [--timeout 10] [--area fit]
Prints a table by area, the first other exceptions, and the peak RSS of this process.
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import signal
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _fuzz_cases import AREAS, World  # noqa: E402
from py5ml import Py5mlError  # noqa: E402


class Hang(BaseException):
    """Raised by the alarm when a case runs past its time limit."""


def _alarm(signum, frame):
    raise Hang()


def run_case(make, rng, world, timeout):
    """One case: ``(outcome, what, detail)``."""
    what, call, unchanged = make(rng, world)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        call()
        outcome, detail = "accepted", ""
    except Py5mlError as error:
        outcome, detail = "refused", str(error)
        if len(detail) > 2000:
            outcome, detail = "other", f"message of {len(detail):,} characters"
        elif unchanged is not None and not unchanged():
            outcome, detail = "changed", str(error)[:120]
    except Hang:
        outcome, detail = "hang", f"over {timeout} s"
    except Exception as error:  # the point of the benchmark: anything here is a bug to report
        frame = traceback.extract_tb(error.__traceback__)[-1]
        outcome, detail = "other", f"{type(error).__name__}: {str(error)[:120]} ({Path(frame.filename).name}:{frame.lineno})"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return outcome, what, detail


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--area", action="append", choices=sorted(AREAS), help="only these areas (repeatable)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    signal.signal(signal.SIGALRM, _alarm)
    areas = args.area or list(AREAS)
    rng, world = np.random.default_rng(args.seed), World()
    os.chdir(world.folder)  # a relative path a case makes up lands in the scratch folder, never here
    table = {area: collections.Counter() for area in areas}
    examples, started = collections.defaultdict(list), time.perf_counter()
    for i in range(args.cases):
        area = areas[i % len(areas)]
        outcome, what, detail = run_case(AREAS[area], rng, world, args.timeout)
        table[area][outcome] += 1
        if outcome in ("other", "hang", "changed") and len(examples[area]) < 5:
            examples[area].append(f"{outcome}: {what} -> {detail}")
    report(table, examples, time.perf_counter() - started)


def report(table, examples, seconds):
    columns = ("accepted", "refused", "other", "hang", "changed")
    print(f"{'area':32s} {'cases':>6s} " + " ".join(f"{c:>8s}" for c in columns))
    total = collections.Counter()
    for area, counts in table.items():
        total.update(counts)
        print(f"{area:32s} {sum(counts.values()):6d} " + " ".join(f"{counts[c]:8d}" for c in columns))
    print(f"{'all':32s} {sum(total.values()):6d} " + " ".join(f"{total[c]:8d}" for c in columns))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB, {seconds:.0f} s")
    for area, lines in examples.items():
        for line in lines:
            print(f"  [{area}] {line}")


if __name__ == "__main__":
    main()
