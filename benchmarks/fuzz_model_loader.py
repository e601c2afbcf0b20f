"""Fuzz py5ml's model loader with hypothesis: only ModelFileError may ever escape load_model.

Each generated case is a model folder: a valid small model.json with one part of its JSON tree
replaced, deleted or added (anywhere, or aimed at the weightsManifest), weights cut or padded,
or plain random bytes for both files. The loader must either load it or raise ModelFileError.

Usage: .venv/bin/python benchmarks/fuzz_model_loader.py [--cases 10000]
Prints the case count, what the loader did by outcome type, and the seconds taken.
tests/test_bad_model_files.py imports this file and runs a few hundred cases of the same fuzzing.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from py5ml import ModelFileError
from py5ml.formats._model_files import load_model

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.sampled_from([0, 1, -1, 2**31, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["float32", "int32", "float16", "Dense", "relu", "softmax", "..", "/etc/passwd",
                     "./model.weights.bin", "../x.bin", "Sequential", "InputLayer", "Flatten"]),
)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def base_files():
    """A valid 3 -> Dense 4 relu -> Dense 2 softmax model: (model.json dict, weight bytes)."""
    weights = np.linspace(-1, 1, 3 * 4 + 4 + 4 * 2 + 2, dtype="<f4").tobytes()
    dense = lambda name, units, act, **extra: {"class_name": "Dense", "config": {"name": name, "units": units, "activation": act, **extra}}
    doc = {
        "format": "layers-model",
        "modelTopology": {"class_name": "Sequential", "config": {"name": "s", "layers": [
            dense("d1", 4, "relu", batch_input_shape=[None, 3]), dense("d2", 2, "softmax")]}},
        "weightsManifest": [{"paths": ["./model.weights.bin"], "weights": [
            {"name": "d1/kernel", "shape": [3, 4], "dtype": "float32"}, {"name": "d1/bias", "shape": [4], "dtype": "float32"},
            {"name": "d2/kernel", "shape": [4, 2], "dtype": "float32"}, {"name": "d2/bias", "shape": [2], "dtype": "float32"}]}],
        "userDefinedMetadata": {"py5ml": {"labels": ["yes", "no"]}},
    }
    return doc, weights


def _containers(node, path=()):
    """Every (path, container) in a JSON tree, so a mutation can aim anywhere."""
    yield path, node
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        if isinstance(child, (dict, list)):
            yield from _containers(child, path + (key,))


def _mutate(doc, choice: int, key_pick: int, value, under_manifest: bool):
    root = doc["weightsManifest"] if under_manifest else doc
    places = list(_containers(root))
    _, container = places[choice % len(places)]
    keys = list(container.keys()) if isinstance(container, dict) else list(range(len(container)))
    if not keys or key_pick % 3 == 0:  # add a key / append an item
        if isinstance(container, dict):
            container[f"k{key_pick}"] = value
        else:
            container.append(value)
        return
    key = keys[key_pick % len(keys)]
    if key_pick % 3 == 1:
        del container[key]
    else:
        container[key] = value


@st.composite
def mutated_json(draw, under_manifest=False):
    doc, weights = base_files()
    for _ in range(draw(st.integers(1, 3))):
        _mutate(doc, draw(st.integers(0, 200)), draw(st.integers(0, 200)), draw(JSON_VALUES), under_manifest)
    cut = draw(st.integers(-8, 8))
    weights = weights[:cut] if cut < 0 else weights + draw(st.binary(min_size=cut, max_size=cut))
    return json.dumps(doc).encode(), weights


@st.composite
def random_bytes(draw):
    return draw(st.binary(max_size=300)), draw(st.binary(max_size=120))


CASES = st.one_of(mutated_json(), mutated_json(under_manifest=True), random_bytes())


def check_case(folder: Path, files, outcomes: collections.Counter) -> None:
    """Write one case into ``folder`` and load it; anything but ModelFileError is re-raised."""
    model_json, weights = files
    (folder / "model.json").write_bytes(model_json)
    (folder / "model.weights.bin").write_bytes(weights)
    try:
        load_model(folder / "model.json")
        outcomes["loaded"] += 1
    except ModelFileError:
        outcomes["ModelFileError"] += 1
    except Exception as error:
        outcomes[type(error).__name__] += 1
        raise


def run(cases: int, outcomes: collections.Counter, folder: Path) -> None:
    """Run ``cases`` hypothesis examples against load_model, counting outcomes."""

    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(files=CASES)
    def fuzz(files):
        check_case(folder, files, outcomes)

    fuzz()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args(argv)
    outcomes, folder = collections.Counter(), Path(tempfile.mkdtemp(prefix="py5ml-fuzz-"))
    start = time.perf_counter()
    try:
        run(args.cases, outcomes, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        seconds = time.perf_counter() - start
        print(f"cases: {sum(outcomes.values())}  outcomes: {dict(outcomes)}  seconds: {seconds:.1f}")
    escaped = {kind: n for kind, n in outcomes.items() if kind not in ("loaded", "ModelFileError")}
    return 1 if escaped else 0


if __name__ == "__main__":
    sys.exit(main())
