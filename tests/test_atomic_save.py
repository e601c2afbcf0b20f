"""Atomic save: SIGKILL a process mid-save, many times; model.json must always load a whole version.

A forked child (it inherits the loaded torch, so no per-kill start-up cost) saves versions A and B
of the same architecture alternately, as fast as it can; A and B have equal file sizes, so a
mix-up of one version's JSON with the other's weights could only be caught by predictions.
"""

import os
import random
import signal
import time

import pytest
import torch
from torch import nn

from py5ml.formats._model_files import load_model, save_model

KILLS = 60
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Linux/macOS)")


def version(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 9), nn.Softmax(dim=-1))


def save_forever(folder, models):
    """The child: save A, B, A, B... until killed. Never returns."""
    try:
        for i in range(10**9):
            save_model(models[i % 2], folder, input_shape=(3,), metadata={"version": i % 2})
    finally:
        os._exit(1)


def test_killed_saves_leave_a_whole_model(tmp_path):
    models = [version(0), version(1)]
    x = torch.rand(8, 3)
    with torch.no_grad():
        outputs = [m(x) for m in models]
    save_model(models[0], tmp_path, input_shape=(3,), metadata={"version": 0})
    rng, seen, interrupted = random.Random(1234), set(), 0
    start = time.monotonic()
    for _ in range(KILLS):
        pid = os.fork()
        if pid == 0:
            save_forever(tmp_path, models)
        time.sleep(rng.uniform(0.001, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        interrupted += len(list(tmp_path.iterdir())) > 2  # temp or hashed files: killed mid-save
        loaded = load_model(tmp_path / "model.json")
        v = loaded.metadata["version"]
        with torch.no_grad():
            assert torch.allclose(loaded.model(x), outputs[v], atol=1e-6), f"model.json of version {v} has other weights"
        seen.add(v)
    print(f"{KILLS} kills, {interrupted} mid-save, versions seen {sorted(seen)}, {time.monotonic() - start:.1f}s")
    assert seen == {0, 1}, "the child never finished a save of each version"
    assert interrupted > 0, "no kill landed in the middle of a save"
    assert time.monotonic() - start < 60
    save_model(models[1], tmp_path, input_shape=(3,))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "model.weights.bin"]


def test_json_never_points_at_the_other_saves_weights(tmp_path, monkeypatch):
    """Stop the save after each file replace and check the folder at every step."""
    import py5ml.formats._atomic_files as atomic

    models, x = [version(0), version(1)], torch.rand(4, 3)
    save_model(models[0], tmp_path, input_shape=(3,), metadata={"version": 0})
    real_replace, states = os.replace, []

    def replace_then_check(src, dst):
        real_replace(src, dst)
        loaded = load_model(tmp_path / "model.json")
        with torch.no_grad():
            assert torch.allclose(loaded.model(x), models[loaded.metadata["version"]](x), atol=1e-6)
        states.append(loaded.metadata["version"])

    monkeypatch.setattr(atomic.os, "replace", replace_then_check)
    save_model(models[1], tmp_path, input_shape=(3,), metadata={"version": 1})
    assert states == [0, 1, 1, 1]  # staged weights, json -> staged, final weights, json -> final
