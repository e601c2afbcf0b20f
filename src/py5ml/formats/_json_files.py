"""Reading the small JSON files that come with a model: bounded, strict, and with clear errors.

``model.json``, ``metadata.json`` (Teachable Machine) and ``model_meta.json`` (ml5) are untrusted:
a file may be huge, not UTF-8, deeply nested, a FIFO, or hold NaN. ``read_json`` reads at most
16 MB of a regular file and refuses NaN/Infinity; every problem is a ``ModelFileError``.

Example:
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "metadata.json"
    >>> _ = path.write_text(json.dumps({"labels": ["cat", "dog"]}))
    >>> read_json(path, "metadata file")["labels"]
    ['cat', 'dog']
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .._checks import check_path, quote, read_regular_file
from .._errors import ModelFileError

MAX_JSON_BYTES = 16 * 2**20


def model_json_path(path, name: str = "path") -> Path:
    """The model's .json file: ``path`` itself, or ``path/model.json`` for a folder."""
    path = check_path(path, name, error=ModelFileError)
    try:
        if path.is_dir():
            path = path / "model.json"
        found = path.is_file()
    except OSError as error:  # e.g. a name the file system cannot hold
        raise ModelFileError(f"Cannot look at {quote(str(path))}: {error.strerror}.") from None
    if not found:
        raise ModelFileError(f"{quote(str(path))} does not exist. Pass the model's .json file or the folder holding model.json.")
    return path


def read_json(path: Path, what: str):
    """Parse a JSON file of at most 16 MB; NaN and Infinity are refused."""
    raw = read_regular_file(path, MAX_JSON_BYTES, error=ModelFileError,
                            cannot_read=f"Cannot read the {what} {{name}}: {{reason}}.",
                            not_regular=f"The {what} {{name}} is not a regular file.",
                            too_large=f"The {what} {{name}} is larger than {{limit:,}} bytes; that is not a sketch model.")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"The {what} {path.name} is not valid JSON ({str(error)[:80]}). Save it again.") from None


def _no_constants(word):
    raise ValueError(f"{word} is not allowed in JSON")


def labels_list(labels, count: int, what: str):
    """Class labels: non-empty strings, no duplicates, one per output. None stays None."""
    if labels is None:
        return None
    if not isinstance(labels, list) or not all(isinstance(label, str) and label.strip() for label in labels):
        raise ModelFileError(f"{what} must be a list of non-empty strings, not {quote(labels)}.")
    if len(labels) != count:
        raise ModelFileError(
            f"{what} has {len(labels)} labels but the model's last layer has {count} outputs. "
            "Give one label per output (retrain the model if the labels changed)."
        )
    twice = sorted(label for label, n in Counter(labels).items() if n > 1)
    if twice:
        raise ModelFileError(f"{what} names {quote(twice)} more than once; each output needs its own label.")
    return list(labels)
