"""Data files for ``NeuralNetwork``: ml5's JSON, a plain list of records, or CSV; read and written.

ml5 keeps what you add as a list of examples, each ``{"xs": {...}, "ys": {...}}``, and
``saveData()`` writes ``{"data": [...]}``. ``read_data`` reads that back, and also a table of
records (a JSON list, ``{"entries": [...]}`` like colorData.json, or a CSV with a header row),
split into ``xs`` and ``ys`` by the column names you give. Think of it as a customs desk: every
file is checked (a regular file, at most 32 MB, no deep nesting, the same columns on every row)
before anything from it is used.

Example::

    import py5, py5ml

    rows = py5ml.read_data("titanic_cleaned.csv", inputs=["fare_class", "sex", "age", "fare"],
                           outputs=["survived"])

    def setup():
        py5.size(400, 100)
        py5.text(f"{len(rows)} passengers; the first: {rows[0]}", 10, 50)

    py5.run_sketch()
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path

from .._checks import check_path, quote, read_regular_file
from .._errors import DataError

__all__ = ["read_data", "write_data", "save_color_data", "parse_data", "read_bytes", "check_data_file", "default_data_name", "MAX_DATA_BYTES"]

MAX_DATA_BYTES = 32 * 2**20
MAX_ROWS = 1_000_000
MAX_TEXT = 1000  # characters in one string value
MAX_ARRAY = 100_000  # numbers in one array value (ml5's "array" inputs, e.g. pixels)
URL_SCHEMES = ("http://", "https://", "file://")


def read_data(source, *, inputs=None, outputs=None, timeout=30.0) -> list[dict]:
    """Read a data file or URL into ml5's examples: ``[{"xs": {...}, "ys": {...}}, ...]``.

    Args:
        source: a path, or an ``http(s)://`` or ``file://`` URL, to a ``.json`` or ``.csv`` file.
        inputs, outputs: the column names that go into ``xs`` and ``ys``. Needed for tables
            (CSV, a list of records); for ml5's own ``{"data": [{"xs", "ys"}]}`` they are optional.
        timeout: seconds to wait for a URL.

    Raises:
        DataError: the file is missing, too big, not JSON/CSV, or its rows don't fit.
    """
    raw, where = read_bytes(source, timeout)
    return parse_data(raw, where, inputs=inputs, outputs=outputs)


def parse_data(raw: bytes, where: str, *, inputs=None, outputs=None) -> list[dict]:
    """``read_data`` for bytes already in memory; ``where`` names them in errors."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{where} is not UTF-8 text. Save it as UTF-8 JSON or CSV.") from None
    is_json = where.lower().endswith(".json") or text.lstrip()[:1] in ("{", "[")
    rows = _json_rows(text, where) if is_json else _csv_rows(text, where)
    if not rows:
        raise DataError(f"{where} holds no examples. Add rows, or check that this is the right file.")
    if len(rows) > MAX_ROWS:
        raise DataError(f"{where} has {len(rows):,} rows; py5ml reads at most {MAX_ROWS:,}. Use a smaller sample.")
    if all(isinstance(r, dict) and set(r) == {"xs", "ys"} for r in rows):
        return _ml5_examples(rows, where, inputs, outputs)
    return _split_records(rows, where, inputs, outputs)


def write_data(examples, path) -> Path:
    """Write examples in ml5's format, ``{"data": [{"xs": ..., "ys": ...}]}``, atomically."""
    from ..formats._atomic_files import _replace_with

    path = check_path(path, "path")
    if isinstance(examples, (str, bytes, dict)) or not hasattr(examples, "__iter__"):
        raise DataError(f'examples must be a list like [{{"xs": {{...}}, "ys": {{...}}}}], not {quote(examples)}.')
    examples = [{part: {k: _js_number(v) for k, v in e[part].items()} for part in ("xs", "ys")}
                for e in _ml5_examples(list(examples), str(path), None, None)]
    text = json.dumps({"data": examples}, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_with(path, text.encode("utf-8"))
    return path


def save_color_data(entries, path) -> Path:
    """Write colors people labelled as a colorData.json file, atomically.

    ``entries`` are dicts ``{"r", "g", "b", "label", "uid"}`` as in the Coding Train's data set;
    they are checked like a loaded file is, so what is written always loads.
    """
    from ..formats._atomic_files import _replace_with
    from ._color_data import parse_color_json

    path = check_path(path, "path")
    text = json.dumps({"entries": list(entries)}, indent=1, allow_nan=False)
    parse_color_json(text, str(path))  # refuses empty data, a wrong label, r/g/b outside 0-255
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_with(path, text.encode("utf-8"))
    return path


def default_data_name() -> str:
    """ml5's name for a data file saved without one: the date and time, ``2026-12-7_3-5-9``."""
    t = time.localtime()
    return f"{t.tm_year}-{t.tm_mon}-{t.tm_mday}_{t.tm_hour}-{t.tm_min}-{t.tm_sec}"


# -- reading bytes ---------------------------------------------------------------------------
def read_bytes(source, timeout=30.0) -> tuple[bytes, str]:
    """The bytes of a path or URL, at most ``MAX_DATA_BYTES``, and a name for error messages."""
    if isinstance(source, str) and source.lower().startswith(URL_SCHEMES):
        return _read_url(source, timeout), source
    path = check_path(source, "data file")
    return _read_file(path), str(path)


def check_data_file(source) -> Path:
    """The path of an existing regular file, or a DataError that says what is wrong."""
    path = check_path(source, "data file")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise DataError(_missing(path)) from None
    except OSError as error:
        raise DataError(f"Can't read the data file {quote(str(path))}: {error.strerror}.") from None
    if not stat.S_ISREG(mode):
        raise DataError(f"{quote(str(path))} is not a regular file. Give a .json or .csv file.")
    return path


def _missing(path) -> str:
    return (f"Can't find the data file {quote(str(path))}. Check the path (it is relative to "
            f"the folder you ran the sketch from: {os.getcwd()}).")


def _read_file(path: Path) -> bytes:
    return read_regular_file(path, MAX_DATA_BYTES, missing=_missing(path).replace("{", "{{").replace("}", "}}"),
                             cannot_read="Can't read the data file {path}: {reason}.",
                             not_regular="{path} is not a regular file. Give a .json or .csv file.",
                             too_large=_too_large(str(path)).replace("{", "{{").replace("}", "}}"))


def _read_url(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return _capped(response.read(MAX_DATA_BYTES + 1), url)
    except urllib.error.HTTPError as error:
        raise DataError(f"Can't download {quote(url)}: the server answered {error.code} {error.reason}. Check the URL.") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise DataError(f"Can't download {quote(url)} ({quote(str(reason), 60)}). Check the URL and the "
                        "connection, or download the file and give its path.") from None


def _capped(raw: bytes, where: str) -> bytes:
    if len(raw) > MAX_DATA_BYTES:
        raise DataError(_too_large(where))
    return raw


def _too_large(where: str) -> str:
    return f"{where} is larger than {MAX_DATA_BYTES // 2**20} MB; that is too much for a sketch. Use a sample of it."


# -- parsing ---------------------------------------------------------------------------------
def _json_rows(text: str, where: str) -> list:
    try:
        doc = json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError) as error:
        raise DataError(f"{where} is not valid JSON ({quote(str(error), 70)}). Fix the file or save it again.") from None
    if isinstance(doc, dict):
        doc = doc.get("data", doc.get("entries"))
    if not isinstance(doc, list):
        raise DataError(f'{where} has no list of examples: expected {{"data": [{{"xs": {{...}}, "ys": {{...}}}}]}}, '
                        '{"entries": [...]} or a list of records.')
    return doc


def _no_constants(word):
    raise ValueError(f"{word} is not a number JSON allows")


def _csv_rows(text: str, where: str) -> list[dict]:
    reader = csv.reader(io.StringIO(text))
    try:
        lines = [line for line in reader if line]
    except csv.Error as error:
        raise DataError(f"{where} is not valid CSV ({error}). Fix the file.") from None
    if not lines:
        return []
    header = [name.strip() for name in lines[0]]
    if len(set(header)) != len(header) or not all(header):
        raise DataError(f"{where}: the header row {quote(header)} must name every column once.")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            raise DataError(f"{where}, line {number}: {len(line)} values but the header names {len(header)} columns. "
                            "Fix that line.")
        rows.append({name: _cell(value) for name, value in zip(header, line)})
    return rows


def _cell(text: str):
    """A CSV cell as a number when it reads as one (like tf.data.csv), else the text."""
    text = text.strip()
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def _split_records(rows, where, inputs, outputs) -> list[dict]:
    inputs, outputs = _column_names(inputs, "inputs", where), _column_names(outputs, "outputs", where)
    examples = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise DataError(f"{where}: row {i} is {quote(row)}, not a record like {{\"x\": 1, \"label\": \"A\"}}.")
        missing = [name for name in (*inputs, *outputs) if name not in row]
        if missing:
            raise DataError(f"{where}: row {i} has no {', '.join(map(repr, missing))}. Its columns are "
                            f"{quote(list(row))}; name columns that exist in inputs=[...] and outputs=[...].")
        examples.append({"xs": {k: row[k] for k in inputs}, "ys": {k: row[k] for k in outputs}})
    return _ml5_examples(examples, where, None, None)


def _column_names(names, what, where):
    if not (isinstance(names, (list, tuple)) and names and all(isinstance(n, str) for n in names)):
        raise DataError(f"{where} is a table: say which columns to use, like "
                        f"NeuralNetwork(data_url=..., inputs=['age', 'fare'], outputs=['survived']); {what} was {quote(names)}.")
    return list(names)


def _ml5_examples(examples, where, inputs, outputs) -> list[dict]:
    """Check ml5 examples: dicts of plain values, the same keys on every row (kept in file order)."""
    if not examples:
        raise DataError(f"{where}: there are no examples. Add some data first.")
    keys = None
    for i, example in enumerate(examples):
        if not (isinstance(example, dict) and isinstance(example.get("xs"), dict) and isinstance(example.get("ys"), dict)):
            raise DataError(f'{where}: example {i} is {quote(example)}, not {{"xs": {{...}}, "ys": {{...}}}}.')
        shape = (tuple(example["xs"]), tuple(example["ys"]))
        keys = keys or shape
        if set(shape[0]) != set(keys[0]) or set(shape[1]) != set(keys[1]):
            raise DataError(f"{where}: example {i} has xs {list(shape[0])} and ys {list(shape[1])}, but example 0 has "
                            f"xs {list(keys[0])} and ys {list(keys[1])}. Every example needs the same names.")
        for part in ("xs", "ys"):
            for name, value in example[part].items():
                _check_value(value, f"{where}: example {i}, {part}[{name!r}]")
    if inputs is not None or outputs is not None:
        examples = _pick(examples, where, inputs, outputs, keys)
    return [{"xs": dict(e["xs"]), "ys": dict(e["ys"])} for e in examples]


def _pick(examples, where, inputs, outputs, keys):
    """Keep the named columns when the caller named them (strings only; counts keep everything)."""
    names = [n if isinstance(n, (list, tuple)) and n and all(isinstance(s, str) for s in n) else None
             for n in (inputs, outputs)]
    for chosen, present, part in ((names[0], keys[0], "xs"), (names[1], keys[1], "ys")):
        if chosen and not set(chosen) <= set(present):
            raise DataError(f"{where}: the examples' {part} are {list(present)}, not {list(chosen)}. "
                            "Give the names the file uses, or leave them out.")
    return [{"xs": {k: e["xs"][k] for k in names[0] or e["xs"]}, "ys": {k: e["ys"][k] for k in names[1] or e["ys"]}}
            for e in examples]


def _check_value(value, where):
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise DataError(f"{where} is a text of {len(value):,} characters; at most {MAX_TEXT} are allowed.")
        return
    if isinstance(value, list):
        if len(value) > MAX_ARRAY or not all(_is_number(v) for v in value):
            raise DataError(f"{where} must be a list of at most {MAX_ARRAY:,} numbers, not {quote(value)}.")
        return
    if not _is_number(value):
        raise DataError(f"{where} is {quote(value)}: a value must be a number, a text, or a list of numbers.")


def _js_number(value):
    """255.0 is written 255, as JavaScript's JSON.stringify writes it."""
    if isinstance(value, list):
        return [_js_number(v) for v in value]
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
