"""Tiny data and models shared by the faults_* sketches (no files, no downloads)."""

import numpy as np
import torch


def tiny_data(n=256, seed=0):
    """``(x, y)``: n random 3-number inputs, one-hot labelled by their largest value (3 classes)."""
    x = np.random.default_rng(seed).random((n, 3), dtype=np.float32)
    return x, np.eye(3, dtype=np.float32)[x.argmax(axis=1)]


def tiny_classifier(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Sigmoid(), torch.nn.Linear(8, 3), torch.nn.Softmax(dim=1))


def tiny_regressor(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Linear(8, 1))


def error_text(exc):
    return "no error" if exc is None else f"{type(exc).__name__}: {exc}"
