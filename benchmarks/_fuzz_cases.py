"""The entry points benchmarks/fuzz_api.py throws hostile input at, one function per area.

Each area is ``make(rng, world) -> (what, call, unchanged)``: ``call()`` runs one hostile call,
``unchanged()`` (or None) says whether the object's state is as before, checked after a refusal.
``world`` holds what cases share: a scratch folder, a saved model, a feature extractor.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

import py5ml
from _fuzz_values import hostile, hostile_json, mutate

SETTINGS = ("epochs", "batch_size", "validation_split", "shuffle")


def snapshot(obj, depth=0):
    """A comparable picture of an object's state (arrays by bytes, modules by weights)."""
    if isinstance(obj, np.ndarray):
        return ("array", obj.dtype.str, obj.shape, obj.tobytes())
    if isinstance(obj, torch.Tensor):
        return ("tensor", tuple(obj.shape), obj.detach().cpu().numpy().tobytes())
    if isinstance(obj, torch.nn.Module):
        return snapshot(obj.state_dict(), depth + 1)
    if isinstance(obj, dict):
        return {repr(k): snapshot(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [snapshot(v, depth + 1) for v in obj]
    if isinstance(obj, (str, int, bool, bytes, type(None))):
        return obj
    if isinstance(obj, float):
        return repr(obj)
    if depth < 5 and hasattr(obj, "__dict__") and not callable(obj):
        return (type(obj).__name__, snapshot(vars(obj), depth + 1))
    return type(obj).__name__


class World:
    """What the cases share; built once."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="py5ml-fuzz-"))
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2), torch.nn.Softmax(dim=-1))
        meta = {"task": "classification", "labels": ["red", "blue"], "inputs": ["r", "g", "b"],
                "normalization": {"min": [0, 0, 0], "max": [255, 255, 255]}}
        self.model_path = py5ml.save_model(model, self.folder / "good", input_shape=(3,), metadata=meta)
        self.model_doc = json.loads(self.model_path.read_text())
        self.trained = py5ml.NeuralNetwork(task="classification")
        self.trained.load(self.model_path)
        self.color_doc = {"entries": [{"r": 255, "g": 0, "b": 0, "label": "red-ish"},
                                      {"r": 0, "g": 0, "b": 250, "label": "blue-ish"}]}
        self._transfer = None
        self.knn_doc = None
        self.mobilenet = None
        self.count = 0

    def scratch(self) -> Path:
        self.count += 1
        folder = self.folder / f"case{self.count}"
        folder.mkdir()
        return folder

    @property
    def transfer(self):
        if self._transfer is None:
            fe = py5ml.feature_extractor("MobileNet", weights=None, device="cpu")
            fe.wait_until_ready(120)
            self._transfer = fe.classification()
        return self._transfer


def run_task(task, frames=400):
    """Step the frame clock until ``task`` ends; its exception is raised here."""
    if not hasattr(task, "is_done"):
        return task
    scheduler = py5ml.get_scheduler()
    for _ in range(frames):
        if task.is_done:
            break
        scheduler.step()
    if not task.is_done:
        task.cancel()
        scheduler.step()
    if task.exception is not None:
        raise task.exception
    return task.result


def small_network():
    nn = py5ml.NeuralNetwork(task="classification")
    for row, label in [([255, 0, 0], "red"), ([0, 0, 255], "blue"), ([250, 10, 5], "red"), ([5, 0, 240], "blue")]:
        nn.add_data(row, label)
    return nn


def _unchanged(obj):
    before = snapshot(obj)
    return lambda: snapshot(obj) == before


def nn_add_data(rng, world):
    nn = small_network()
    inputs = hostile(rng) if rng.random() < 0.7 else [hostile(rng) for _ in range(3)]
    target = hostile(rng) if rng.random() < 0.7 else "red"
    return f"add_data({inputs!r:.60}, {target!r:.30})", lambda: nn.add_data(inputs, target), _unchanged(nn)


def nn_normalize(rng, world):
    nn = small_network()
    low, high = hostile(rng), hostile(rng)
    return f"normalize_data({low!r:.40}, {high!r:.40})", lambda: nn.normalize_data(low, high), _unchanged(nn)


def nn_train(rng, world):
    nn = small_network()
    settings = {name: hostile(rng) for name in SETTINGS if rng.random() < 0.5}
    return f"train(**{settings!r:.100})", lambda: run_task(nn.train(**settings)), None


def nn_classify(rng, world):
    nn = world.trained
    inputs = hostile(rng) if rng.random() < 0.6 else {"r": hostile(rng), "g": 1, "b": 2}
    call = nn.classify if rng.random() < 0.5 else nn.predict
    return f"{call.__name__}({inputs!r:.60})", lambda: run_task(call(inputs)), _unchanged(nn.model)


def nn_load(rng, world):
    folder = world.scratch()
    path = folder / "model.json"
    if rng.random() < 0.9:
        path.write_text(json.dumps(mutate(world.model_doc, rng)))
    else:
        path.write_bytes(rng.bytes(int(rng.integers(0, 300))))
    (folder / "model.weights.bin").write_bytes((world.model_path.parent / "model.weights.bin").read_bytes())
    nn = small_network()
    loader = (lambda: nn.load(path)) if rng.random() < 0.5 else (lambda: py5ml.load_model(path))
    return f"load(mutated model.json in {folder.name})", loader, _unchanged(nn)


def model_save(rng, world):
    folder = world.scratch()
    name = hostile(rng)
    target = folder / name if isinstance(name, (str, Path)) else name  # never the working folder
    model = torch.nn.Sequential(torch.nn.Linear(3, 2))
    return f"save_model(..., {str(target)[:60]!r})", lambda: py5ml.save_model(model, target, input_shape=(3,)), None


def color_data(rng, world):
    path = world.scratch() / "colorData.json"
    kind = rng.random()
    if kind < 0.7:
        path.write_text(json.dumps(mutate(world.color_doc, rng)))
    elif kind < 0.9:
        path.write_bytes(rng.bytes(int(rng.integers(0, 300))))
        return "load_color_data(cache_dir=<random bytes>)", lambda: py5ml.load_color_data(cache_dir=path.parent, download=False), None
    else:
        bad = hostile(rng)
        return f"load_color_data({bad!r:.60})", lambda: py5ml.load_color_data(bad), None
    return "load_color_data(<mutated file>)", lambda: py5ml.load_color_data(path), None


def fit_args(rng, world):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Softmax(dim=1))
    x = np.random.default_rng(0).random((8, 3), dtype=np.float32)
    y = np.eye(2, dtype=np.float32)[np.arange(8) % 2]
    names = ["epochs", "batch_size", "validation_split", "validation_data", "learning_rate", "shuffle",
             "optimizer", "loss", "yield_every", "callbacks", "device"]
    settings = {name: hostile(rng) for name in names if rng.random() < 0.25}
    settings.setdefault("epochs", 1)
    if rng.random() < 0.3:
        x = hostile(rng)
    call = lambda: asyncio.run(py5ml.fit(model, x, y, **settings))  # noqa: E731
    return f"fit(x={x!r:.40}, **{settings!r:.80})", call, _unchanged(model)


def transfer_add_image(rng, world):
    tm = world.transfer
    image = hostile(rng) if rng.random() < 0.6 else np.full((int(rng.integers(1, 60)), 40, 3), rng.random(), np.float32)
    label = hostile(rng) if rng.random() < 0.6 else "happy"
    counts = dict(tm.example_counts or {})
    call = lambda: asyncio.run(tm.add_image_async(image, label))  # noqa: E731
    return f"add_image({image!r:.40}, {label!r:.30})", call, lambda: dict(tm.example_counts or {}) == counts


def transfer_examples(rng, world):
    tm = world.transfer
    path = world.scratch() / "examples.npz"
    arrays = {"features": [np.zeros((2, 576), np.float32), np.zeros((2, 5), np.float32), np.zeros(0)][int(rng.integers(0, 3))],
              "labels": np.array([str(hostile_json(rng))[:6] for _ in range(int(rng.integers(0, 3)))]),
              "meta": np.array(json.dumps(mutate({"format": "py5ml-examples-1", "task": "classification", "backbone": {}}, rng)))}
    np.savez(path, **arrays)
    counts = dict(tm.example_counts or {})
    call = lambda: asyncio.run(tm.load_examples_async(path))  # noqa: E731
    return "load_examples(<damaged npz>)", call, lambda: dict(tm.example_counts or {}) == counts


def constructors(rng, world):
    makers = {
        "LossGraph": lambda: py5ml.LossGraph(hostile(rng), hostile(rng), hostile(rng), hostile(rng),
                                             max_points=hostile(rng) if rng.random() < 0.3 else 512),
        "FrameBudget": lambda: py5ml.FrameBudget(hostile(rng), hostile(rng)),
        "Slider": lambda: py5ml.Slider(hostile(rng), 10, 10, 200, low=hostile(rng), high=hostile(rng), value=hostile(rng)),
        "Button": lambda: py5ml.Button(hostile(rng), hostile(rng), 10, 80, 30, on_click=hostile(rng), key=hostile(rng)),
        "Capture": lambda: py5ml.Capture(hostile(rng), width=hostile(rng) if rng.random() < 0.5 else 64, height=64).close(),
        "start_task": lambda: py5ml.start_task(hostile(rng)),
        "check_input_shape": lambda: py5ml.check_input_shape(hostile(rng), hostile(rng), "x"),
    }
    name = sorted(makers)[int(rng.integers(0, len(makers)))]
    return name, makers[name], None


def backbone_weights(rng, world):
    from py5ml.vision._backbone_weights import load_state

    if world.mobilenet is None:
        import torchvision

        world.mobilenet = torchvision.models.mobilenet_v3_small()
    path = world.scratch() / ("w.safetensors" if rng.random() < 0.8 else "w.pth")
    header = {"features.0.0.weight": {"dtype": "F32", "shape": [16, 3, 3, 3], "data_offsets": [0, 1728]}}
    text = json.dumps(mutate(header, rng)).encode()
    size = len(text) if rng.random() < 0.9 else int(rng.integers(0, 2**63))
    path.write_bytes(size.to_bytes(8, "little") + text + rng.bytes(int(rng.integers(0, 2000))))
    call = lambda: load_state(world.mobilenet, path, "mobilenet_v3_small")  # noqa: E731
    return f"load_backbone(weights={path.name}) (its load_state)", call, None


def _knn():
    knn = py5ml.KNNClassifier()
    for i, label in enumerate(["rock", "paper", "rock", "scissors"]):
        knn.add_example(np.eye(8, dtype=np.float32)[i] + 0.1, label)
    return knn


def knn_calls(rng, world):
    knn = _knn()
    features = hostile(rng) if rng.random() < 0.6 else np.random.default_rng(1).random(8)
    if rng.random() < 0.5:
        label = hostile(rng)
        return f"add_example({features!r:.40}, {label!r:.30})", lambda: knn.add_example(features, label), _unchanged(knn)
    k = hostile(rng) if rng.random() < 0.5 else 3
    return f"classify_sync({features!r:.40}, k={k!r:.20})", lambda: knn.classify_sync(features, k=k), _unchanged(knn)


def knn_files(rng, world):
    if world.knn_doc is None:
        path = _knn().save(world.scratch() / "knn.json")
        world.knn_doc = json.loads(Path(path).read_text())
    folder = world.scratch()
    knn = _knn()
    if rng.random() < 0.2:
        target = hostile(rng)
        target = folder / target if isinstance(target, (str, Path)) else target
        return f"KNNClassifier.save({str(target)[:50]!r})", lambda: knn.save(target), None
    path = folder / "knn.json"
    path.write_text(json.dumps(mutate(world.knn_doc, rng)))
    return "KNNClassifier.load(<mutated file>)", lambda: run_task(knn.load(path)), _unchanged(knn)


DATA = {"data": [{"xs": {"r": 255, "g": 0, "b": 0}, "ys": {"label": "red"}},
                 {"xs": {"r": 0, "g": 0, "b": 255}, "ys": {"label": "blue"}}]}


def data_files(rng, world):
    folder = world.scratch()
    kind = rng.random()
    if kind < 0.5:
        path = folder / "data.json"
        path.write_text(json.dumps(mutate(DATA, rng)))
    elif kind < 0.7:
        path = folder / "data.csv"
        path.write_bytes(b"r,g,b,label\n" + rng.bytes(int(rng.integers(0, 120))))
    elif kind < 0.85:
        examples = mutate(DATA, rng).get("data") if rng.random() < 0.7 else hostile(rng)
        return f"write_data({examples!r:.60})", lambda: py5ml.write_data(examples, folder / "out.json"), None
    else:
        path = hostile(rng)
        return f"read_data({path!r:.60})", lambda: py5ml.read_data(path), None
    inputs = ["r", "g", "b"] if rng.random() < 0.5 else hostile(rng)
    outputs = ["label"] if rng.random() < 0.5 else hostile(rng)
    call = lambda: py5ml.read_data(path, inputs=inputs, outputs=outputs)  # noqa: E731
    return f"read_data({path.name}, inputs={inputs!r:.30}, outputs={outputs!r:.30})", call, None


AREAS = {
    "NeuralNetwork.add_data": nn_add_data, "NeuralNetwork.normalize_data": nn_normalize,
    "NeuralNetwork.train": nn_train, "NeuralNetwork.classify/predict": nn_classify,
    "load / NeuralNetwork.load": nn_load, "save_model": model_save, "load_color_data": color_data,
    "fit": fit_args, "constructors": constructors, "backbone weights": backbone_weights, "TransferModel.add_image": transfer_add_image, "TransferModel.load_examples": transfer_examples,
}
if hasattr(py5ml, "KNNClassifier"):  # merged from the knn branch
    AREAS.update({"KNNClassifier": knn_calls, "KNNClassifier files": knn_files})
if hasattr(py5ml, "read_data"):  # merged from the debug branch
    AREAS["read_data / write_data"] = data_files
