"""A ``NeuralNetwork``'s data files: ``data_url=``, ``load_data()`` and ``save_data()``, as in ml5.

The network keeps every example as it was added, in ml5's shape (``{"xs": {...}, "ys": {...}}``),
so ``save_data()`` writes exactly what ml5's ``saveData()`` writes and either library loads it.
Loading reads the file off the draw thread and calls your callback on a later frame, the way
ml5's ``loadData(url, dataLoaded)`` does; a file that is refused adds nothing.

Example::

    import py5, py5ml

    nn = None

    def setup():
        global nn
        py5.size(400, 200)
        nn = py5ml.NeuralNetwork(task="regression", data_url="co2stats.csv",
                                 inputs=["population_cdp"], outputs=["scope1_ghg_emissions_tons_co2e"],
                                 data_loaded=data_loaded)

    def data_loaded():
        print(len(nn.raw_data), "examples")
        nn.save_data("copy")                     # writes copy.json in ml5's format

    def draw():
        py5.background(240)

    py5.run_sketch()
"""

from __future__ import annotations

import asyncio
import copy
import numbers
from pathlib import Path

from .._errors import DataError
from ..clock._scheduler import start_task
from ..clock._user_callbacks import call_back
from ..data._data_files import check_data_file, default_data_name, parse_data, read_bytes, write_data

__all__ = ["ml5_example", "start_loading", "add_examples", "save_examples"]


def ml5_example(inputs, target, input_names=None, output_names=None) -> dict:
    """One added example in ml5's raw shape; lists get ml5's names (``input_0``...) or the given ones."""
    return {"xs": _named(inputs, input_names, "input"), "ys": _named(_target(target), output_names, "output")}


def _target(target):
    if isinstance(target, str) or (isinstance(target, numbers.Real) and not isinstance(target, bool)):
        return {"label": target}  # a bare label: ml5 calls its one output "label" in every example
    return target


def _named(values, names, prefix):
    if isinstance(values, dict):
        return {k: _plain(v) for k, v in values.items()}
    if hasattr(values, "tolist"):  # a numpy array or tensor row
        values = values.tolist()
    if not isinstance(values, (list, tuple)):
        values = [values]
    values = [_plain(v) for v in values]
    if names is None or len(names) != len(values) or list(names) == [f"{prefix}{i}" for i in range(len(values))]:
        names = [f"{prefix}_{i}" for i in range(len(values))]
    return dict(zip(names, values))


def _plain(value):
    """numpy and torch numbers as Python numbers, so the example can be written as JSON."""
    return value.tolist() if hasattr(value, "tolist") else value


def start_loading(network, source, callback=None, *, inputs=None, outputs=None):
    """Read ``source`` off the draw thread, add its examples, then call ``callback`` on a frame.

    A missing local file is reported at once; a bad URL or a bad row is reported by the task.
    Returns the ``Task`` (poll ``task.is_done``).
    """
    if not isinstance(source, (str, Path)):
        raise DataError(f"load_data() takes a file path or URL, like nn.load_data('data.json'), not {source!r}.")

    inputs = inputs or getattr(network.data, "input_names", None)  # a table's columns default to the network's names

    async def load():
        raw, where = await asyncio.to_thread(read_bytes, source)
        examples = parse_data(raw, where, inputs=inputs, outputs=outputs)
        add_examples(network, examples)
        call_back(callback, examples)
        return examples

    if not str(source).lower().startswith(("http://", "https://", "file://")):
        check_data_file(source)  # a wrong path fails now, at the user's line
    return start_task(load(), name="NeuralNetwork.load_data")


def add_examples(network, examples):
    """Add every example, or none: a row the network refuses restores its data as it was."""
    saved = copy.deepcopy((network.data, network.raw_data))
    try:
        for example in examples:
            network.add_data(example["xs"], example["ys"])
    except Exception:
        network.data, network.raw_data = saved
        raise


def save_examples(examples, name=None, directory=".") -> Path:
    """Write ``directory/name.json`` as ml5's ``saveData(name)`` does; returns the path."""
    if not examples:
        raise DataError("There is no data to save yet: add_data() or load_data() first.")
    name = default_data_name() if name is None else str(name)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise DataError(f"save_data() takes a file name without folders, like nn.save_data('my_data'), not {name!r}. "
                        "Choose the folder with directory=.")
    file_name = name if name.endswith(".json") else f"{name}.json"
    return write_data(examples, Path(directory) / file_name)
