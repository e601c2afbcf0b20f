"""LossTrace's fixed-size memory, and LossGraph as a fit callback (pixels are tested elsewhere)."""

import asyncio

import numpy as np
import pytest
import torch
from torch import nn

from py5ml import LossGraph, fit
from py5ml.sketch._loss_graph import LossTrace


pytestmark = pytest.mark.usefixtures("one_torch_thread")

def windows_of_arange(trace):
    """What each point should hold after adding 0, 1, 2, ...: the mean of its stride window."""
    s = trace.stride
    starts = np.arange(trace.count) * s
    return starts + (s - 1) / 2


def test_trace_stays_within_max_points_after_many_adds():
    trace = LossTrace(max_points=64)
    for i in range(100_000):
        trace.add(float(i % 7))
        assert trace.count <= 64
    assert trace.total == 100_000
    positions, values = trace.points()
    assert len(positions) == len(values) == trace.count >= 32
    assert np.all(np.diff(positions) > 0)


def test_trace_keeps_every_value_until_full():
    trace = LossTrace(max_points=8)
    for v in [0.5, 0.25, 2.0]:
        trace.add(v)
    positions, values = trace.points()
    assert values.tolist() == [0.5, 0.25, 2.0]
    assert positions.tolist() == [0.5, 1.5, 2.5]  # batch i is centred at i + 0.5
    assert trace.stride == 1 and trace.last == 2.0


def test_empty_trace():
    trace = LossTrace()
    positions, values = trace.points()
    assert len(positions) == len(values) == 0 and trace.last is None


@pytest.mark.parametrize("bad", [3, 5, 0])
def test_max_points_must_be_even_and_at_least_four(bad):
    with pytest.raises(ValueError, match="even number ≥ 4"):
        LossTrace(bad)


def test_first_compaction_averages_pairs():
    trace = LossTrace(max_points=4)
    for v in range(4):
        trace.add(float(v))
    trace.add(4.0)
    assert trace.stride == 2
    assert trace.values[:2].tolist() == [0.5, 2.5]



@pytest.mark.parametrize("n", [8, 100, 1000])
def test_points_are_the_means_of_their_stride_windows(n):
    trace = LossTrace(max_points=4)
    for v in range(n):
        trace.add(float(v))
    positions, values = trace.points()
    np.testing.assert_allclose(values, windows_of_arange(trace))
    np.testing.assert_allclose(positions, (np.arange(trace.count) + 0.5) * trace.stride)



def test_points_cover_every_value_exactly_once():
    trace = LossTrace(max_points=8)
    for v in range(64):
        trace.add(1.0 if v % 2 else 3.0)
    # Every window has an even stride here, so every point must be exactly the overall mean, 2.
    assert trace.values[: trace.count].tolist() == [2.0] * trace.count



def test_positions_are_in_batch_units():
    trace = LossTrace(max_points=16)
    for _ in range(1000):
        trace.add(1.0)
    positions, values = trace.points()
    last_window_end = positions[-1] + trace.stride / 2
    assert 1000 - trace.stride < last_window_end <= 1000  # only a partial window is still pending
    assert values.tolist() == [1.0] * trace.count


# -- LossGraph as a callback -----------------------------------------------------------------------
def train_with(graph, epochs=3, n=20, batch_size=4, **kwargs):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=1))
    rng = np.random.default_rng(0)
    xs = rng.random((n, 2), dtype=np.float32)
    ys = np.arange(n) % 3
    return asyncio.run(fit(model, xs, ys, epochs=epochs, batch_size=batch_size, callbacks=[graph], **kwargs))


def test_graph_records_batch_losses_and_epoch_logs_through_fit():
    graph = LossGraph()
    assert graph.status == "waiting to train"
    history = train_with(graph, epochs=3, n=20, batch_size=4, validation_split=0.2)
    steps = 4  # 16 training samples in batches of 4
    assert graph.planned_batches == 3 * steps
    assert graph.trace.total == 12
    np.testing.assert_allclose(graph.trace.points()[1], history.batch_loss, rtol=1e-6)
    assert [pos for pos, _ in graph.epochs] == [4, 8, 12]
    assert [logs["val_loss"] for _, logs in graph.epochs] == history.history["val_loss"]
    assert graph.status == "done"


def test_planned_batches_counts_a_partial_last_batch():
    graph = LossGraph()
    train_with(graph, epochs=5, n=10, batch_size=4)
    assert graph.planned_batches == 5 * 3 == graph.trace.total


def test_epoch_logs_are_copies():
    graph = LossGraph()
    train_with(graph, epochs=2)
    first = graph.epochs[0][1]
    first["loss"] = -1.0
    assert graph.epochs[1][1]["loss"] != -1.0


def test_a_second_fit_starts_a_fresh_graph():
    graph = LossGraph(max_points=8)
    train_with(graph, epochs=4, n=40, batch_size=2)  # 80 batches: compacted
    assert graph.trace.stride > 1
    train_with(graph, epochs=1, n=6, batch_size=2)
    assert graph.trace.total == 3 and graph.trace.stride == 1
    assert graph.trace.max_points == 8 and len(graph.epochs) == 1 and graph.planned_batches == 3


def test_add_loss_by_hand():
    graph = LossGraph()
    for loss in (1.0, 0.5):
        graph.add_loss(loss)
    assert graph.trace.points()[1].tolist() == [1.0, 0.5]
