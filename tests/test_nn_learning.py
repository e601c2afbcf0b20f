"""With ml5's defaults, ml5's examples learn: XOR (regression), co2net (targets in the millions),
and results come in ml5's shapes, one list per row for the *_multiple calls."""

import csv
from pathlib import Path

import numpy as np
import pytest
import torch

from py5ml import NeuralNetwork, get_scheduler

pytestmark = pytest.mark.usefixtures("one_torch_thread")
CO2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "ml5_examples" / "NeuralNetwork" / \
    "NeuralNetwork_co2net" / "data" / "co2stats.csv"
CO2_INPUTS = ["latitude_degrees", "longitude_degrees", "population_cdp"]
CO2_OUTPUT = "scope1_ghg_emissions_tons_co2e"


@pytest.fixture
def shared():
    s = get_scheduler()
    yield s
    s.close()


def run(scheduler, task):
    while not task.is_done:
        scheduler.step()
    assert task.exception is None, task.exception
    return task


def test_xor_learns_with_ml5s_regression_defaults(shared):
    nn = NeuralNetwork(task="regression", seed=0)
    for _ in range(25):
        for a in (0, 1):
            for b in (0, 1):
                nn.add_data([a, b], [a ^ b])
    nn.normalize_data()
    run(shared, nn.train({"epochs": 60, "yield_every": "epoch"}))
    grid = nn.predict_multiple([[0, 0], [0, 1], [1, 0], [1, 1]])
    values = [r[0]["value"] for r in grid]
    assert values[0] < 0.2 and values[3] < 0.2 and values[1] > 0.8 and values[2] > 0.8, values
    assert grid[1][0]["label"] == "output0"


def co2_network(normalize, seed=0):
    with open(CO2, newline="") as f:
        rows = list(csv.DictReader(f))
    nn = NeuralNetwork(task="regression", inputs=CO2_INPUTS, outputs=[CO2_OUTPUT], seed=seed)
    for row in rows:
        nn.add_data({k: float(row[k]) for k in CO2_INPUTS}, {CO2_OUTPUT: float(row[CO2_OUTPUT])})
    if normalize:
        nn.normalize_data()
    targets = np.array([float(r[CO2_OUTPUT]) for r in rows])
    return nn, [[float(r[k]) for k in CO2_INPUTS] for r in rows], targets


def test_co2net_learns_without_an_inf_loss_and_predicts_in_tons(shared):
    nn, rows, targets = co2_network(normalize=True)
    assert targets.max() > 5e7  # the reason: targets in the tens of millions
    run(shared, nn.train({"epochs": 32, "yield_every": "epoch"}))
    losses = nn.history.history["loss"]
    assert all(np.isfinite(losses)) and losses[-1] < losses[0] < 1
    predictions = np.array([r[0]["value"] for r in nn.predict_multiple(rows)])
    assert targets.min() - 1 <= predictions.min() and predictions.max() <= targets.max() + 1
    with torch.no_grad():  # the value is the model's 0-1 output scaled back to tons
        raw = nn.model(torch.from_numpy(nn.encoding.encode_inputs(rows[0])[None]))[0, 0].item()
    assert predictions[0] == pytest.approx(targets.min() + raw * (targets.max() - targets.min()), rel=1e-5)


def test_co2net_without_normalize_data_trains_in_raw_tons(shared):
    nn, rows, targets = co2_network(normalize=False)
    run(shared, nn.train({"epochs": 2, "yield_every": "epoch"}))
    assert nn.history.history["loss"][0] > 1e12  # squared tons: why ml5 says normalizeData()


def test_classify_multiple_and_sync_shapes(shared):
    nn = NeuralNetwork(seed=0)
    for i in range(60):
        nn.add_data([i % 2 * 10 + 0.1 * i, 5], "AB"[i % 2])
    nn.normalize_data()
    run(shared, nn.train({"epochs": 40, "yield_every": "epoch"}))
    many = nn.classify_multiple([[0, 5], [10, 5], [0.5, 5]])
    assert len(many) == 3 and all(len(r) == 2 for r in many)
    assert [r[0]["label"] for r in many] == ["A", "B", "A"]
    for results in many:
        assert set(results[0]) == {"label", "confidence"}
        assert results[0]["confidence"] >= results[1]["confidence"]
        assert sum(r["confidence"] for r in results) == pytest.approx(1, abs=1e-5)
    assert nn.classify_sync([10, 5]) == many[1] == nn.classify([10, 5])
