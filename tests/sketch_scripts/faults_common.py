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


def draw_alive(error, *, show_text=False):
    """The faults sketches' frame: a red band while an error is known, and a square that keeps
    moving, so a screenshot shows both that the error was seen and that frames went on."""
    import py5

    py5.background(40)
    if error is not None:
        py5.no_stroke()
        py5.fill(255, 0, 0)
        py5.rect(0, 0, py5.width, 60)
        if show_text:
            py5.fill(255)
            py5.text(error_text(error), 4, 14, py5.width - 8, 40)
    py5.fill(0, 0, 255)
    py5.rect(py5.frame_count * 3 % py5.width, 80, 20, 20)
