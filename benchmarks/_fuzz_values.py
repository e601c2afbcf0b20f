"""Hostile values for benchmarks/fuzz_api.py: what a new user, or someone hostile, might pass.

``hostile(rng)`` draws one value: wrong types, huge ints, NaN, NUL bytes, megabyte strings, ragged
lists, empty arrays. ``hostile_json(rng)`` draws JSON-able trees for files, ``mutate(doc, rng)``
replaces one node of a JSON document. Integers are either clearly refused or small, so an
accepted value never asks for a billion epochs.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np

_FIXED = [
    None, True, False, 0, 1, 2, 3, -1, -7, 2**31, 2**63, 10**30, -(10**30), 0.0, 0.5, 1.5, -0.25,
    math.nan, math.inf, -math.inf, 1e308, 5e-324, "", " ", "abc", "10", "0.1", "nan", "a\0b", "é☃",
    "x" * 5000, b"bytes", [], [1, 2, 3], [0.1, 0.2, 0.3], [[1, 2], [3]], ["a"], ["happy"], [None],
    [math.nan, 1, 2], {"a": 1}, {}, (), (1, 2, 3), set(), frozenset({1}), object(), Path("nowhere"),
    "red-ish", "happy", "classification", "regression", "auto", "batch", "epoch", "sgd", "adam",
    "mse", "cpu", "cuda", "../../etc/passwd", "/dev/zero",
]


def hostile(rng: np.random.Generator):
    """One hostile value (sometimes a freshly built array or a long list)."""
    pick = rng.integers(0, 10)
    if pick == 0:
        return _array(rng)
    if pick == 1:
        return [float(v) for v in rng.normal(size=int(rng.integers(0, 6)))]
    if pick == 2:
        return "z" * int(rng.integers(100_000, 2_000_000))  # error messages must not echo this
    return _FIXED[int(rng.integers(0, len(_FIXED)))]


def _array(rng):
    shapes = [(0,), (3,), (2, 3), (4, 3), (1, 1), (2, 2, 2), (0, 3), (5, 5, 3), (3, 3, 4)]
    shape = shapes[int(rng.integers(0, len(shapes)))]
    kind = int(rng.integers(0, 5))
    if kind == 0:
        return np.full(shape, math.nan, np.float32)
    if kind == 1:
        return rng.integers(0, 256, shape).astype(np.uint8)
    if kind == 2:
        return np.array(["a"] * int(np.prod(shape))).reshape(shape)
    if kind == 3:
        return rng.random(shape).astype(np.float32)
    return rng.integers(-(2**40), 2**40, shape)


def hostile_json(rng: np.random.Generator, depth: int = 0):
    """A JSON-able tree of hostile scalars, lists and objects."""
    pick = int(rng.integers(0, 12 if depth < 3 else 8))
    scalars = [None, True, 0, -1, 2**70, 1e308, 0.5, "", "a", "float32", "Dense", "../x.bin", "min", "labels"]
    if pick < 8:
        return scalars[int(rng.integers(0, len(scalars)))]
    if pick < 10:
        return [hostile_json(rng, depth + 1) for _ in range(int(rng.integers(0, 4)))]
    return {str(hostile_json(rng, 3))[:8]: hostile_json(rng, depth + 1) for _ in range(int(rng.integers(0, 4)))}


def mutate(document, rng: np.random.Generator):
    """A copy of ``document`` with one node (anywhere in the tree) replaced, deleted or added."""
    doc = copy.deepcopy(document)
    parents = list(_containers(doc))
    node = parents[int(rng.integers(0, len(parents)))]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    action = int(rng.integers(0, 3))
    if keys and action == 0:
        node[keys[int(rng.integers(0, len(keys)))]] = hostile_json(rng)
    elif keys and action == 1:
        del node[keys[int(rng.integers(0, len(keys)))]]
    elif isinstance(node, dict):
        node[str(hostile_json(rng, 3))[:8]] = hostile_json(rng)
    else:
        node.append(hostile_json(rng))
    return doc


def _containers(node):
    yield node
    children = node.values() if isinstance(node, dict) else node
    for child in children:
        if isinstance(child, (dict, list)):
            yield from _containers(child)
