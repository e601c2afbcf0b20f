"""A ``NeuralNetwork``'s data files: ``data_url=``, ``load_data()`` and ``save_data()``, as in ml5.

The network keeps every example as it was added, so ``save_data()`` writes them in ml5's shape
(``{"xs": {...}, "ys": {...}}``), exactly what ml5's ``saveData()`` writes; either library loads it.
Loading reads the file off the draw thread and calls your callback on a later frame, the way
ml5's ``loadData(url, dataLoaded)`` does; a file that is refused adds nothing.

Example::

    import py5, py5ml

    nn = None

    def setup():
        global nn
        py5.size(400, 200)
        options = {"task": "regression", "data_url": "co2stats.csv", "inputs": ["population_cdp"],
                   "outputs": ["scope1_ghg_emissions_tons_co2e"]}
        nn = py5ml.NeuralNetwork(options, data_loaded)

    def data_loaded():
        print(len(nn.data), "examples")
        nn.save_data("copy")                     # writes copy.json in ml5's format

    def draw():
        py5.background(240)

    py5.run_sketch()
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

from .._errors import DataError
from ..clock._scheduler import start_task
from ..clock._user_callbacks import call_back
from ..data._data_files import check_data_file, default_data_name, parse_data, read_bytes, write_data

__all__ = ["raw_examples", "start_loading", "add_examples", "save_examples"]


def raw_examples(data) -> list[dict]:
    """Every example added so far, as ml5 keeps it: ``[{"xs": {...}, "ys": {...}}]``, values as given.

    Unnamed columns get ml5's names (``input_0``, ``output_0``); a label keeps its column's name
    (``label`` unless ``outputs=["survived"]`` named it).
    """
    input_names = _ml5_names(data.input_names, len(data.rows[0]) if data.rows else 0, "input")
    examples = []
    for row, target in zip(data.rows, data.targets):
        if data.task == "classification":
            ys = {data.label_name or "label": target}
        else:
            ys = dict(zip(_ml5_names(data.output_names, len(target), "output"), map(_plain, target)))
        examples.append({"xs": dict(zip(input_names, map(_plain, row))), "ys": ys})
    return examples


def _ml5_names(names, count, prefix):
    if not names or len(names) != count or list(names) == [f"{prefix}{i}" for i in range(count)]:
        return [f"{prefix}_{i}" for i in range(count)]
    return list(names)


def _plain(value):
    """numpy numbers as Python numbers, and 255.0 as 255 (JavaScript writes numbers that way)."""
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def start_loading(network, source, callback=None, *, inputs=None, outputs=None, check_now=True):
    """Read ``source`` off the draw thread, add its examples, then call ``callback`` on a frame.

    With ``check_now`` a missing local file is reported at once (``load_data``); otherwise, as for
    ml5's ``dataUrl``, it is reported by the task, like a bad URL or a bad row.
    Returns the ``Task`` (poll ``task.is_done``).
    """
    if not isinstance(source, (str, Path)):
        raise DataError(f"load_data() takes a file path or URL, like nn.load_data('data.json'), not {source!r}.")

    inputs = inputs or network.options.get("inputs")  # a table's columns default to the network's own
    outputs = outputs or _output_columns(network)

    async def load():
        raw, where = await asyncio.to_thread(read_bytes, source)
        examples = parse_data(raw, where, inputs=inputs, outputs=outputs)
        add_examples(network, examples)
        call_back(callback, examples)
        return examples

    if check_now and not str(source).lower().startswith(("http://", "https://", "file://")):
        check_data_file(source)  # a wrong path fails now, at the user's line
    return start_task(load(), name="NeuralNetwork.load_data")


def _output_columns(network):
    """The output column names the options give: ``["label"]`` names one; a longer list of a
    classifier is its labels, not columns."""
    outputs = network.options.get("outputs")
    if network.task == "classification" and isinstance(outputs, list) and len(outputs) != 1:
        return None
    return outputs


def add_examples(network, examples):
    """Add every example, or none: a row the network refuses restores its data as it was."""
    saved = copy.deepcopy(network.data)
    try:
        for example in examples:
            network.add_data(example["xs"], example["ys"])
    except Exception:
        network.data = saved
        raise


def save_examples(data, name=None, directory=".") -> Path:
    """Write ``directory/name.json`` as ml5's ``saveData(name)`` does; returns the path."""
    examples = raw_examples(data)
    if not examples:
        raise DataError("There is no data to save yet: add_data() or load_data() first.")
    name = default_data_name() if name is None else str(name)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise DataError(f"save_data() takes a file name without folders, like nn.save_data('my_data'), not {name!r}. "
                        "Choose the folder with directory=.")
    file_name = name if name.endswith(".json") else f"{name}.json"
    return write_data(examples, Path(directory) / file_name)
