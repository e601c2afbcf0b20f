"""load_color_data reads only bounded regular files, and a damaged cache never crashes it."""

import json
import os

import pytest

from py5ml import load_color_data
from py5ml.data import _color_data
from py5ml._errors import DataError


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(_color_data, "_fetch", lambda url, timeout: (_ for _ in ()).throw(OSError("offline")))


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "colorData.json"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=r"The color data file .*colorData\.json is not a regular file\. Give a colorData\.json file\."):
        load_color_data(fifo)


def test_dev_zero_is_refused_without_reading_it():
    with pytest.raises(DataError, match=r"/dev/zero is not a regular file"):
        load_color_data("/dev/zero")


def test_a_file_over_the_size_cap_is_refused(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.truncate(_color_data.MAX_BYTES + 1)  # sparse: no real disk used
    with pytest.raises(DataError, match=r"is larger than 16,777,216 bytes; colorData\.json is under 1 MB\. Check the path\."):
        load_color_data(big)


def test_deeply_nested_json_is_a_data_error(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataError, match=r"is not valid JSON \(maximum recursion depth exceeded.*\)\. Download colorData\.json again"):
        load_color_data(deep)


@pytest.mark.parametrize("damage", ["deep", "binary", "folder", "fifo", "huge", "wrong"])
def test_a_damaged_cached_copy_falls_back_instead_of_crashing(tmp_path, damage):
    cache = tmp_path / "colorData.json"
    if damage == "deep":
        cache.write_text("{\"entries\": " + "[" * 100_000 + "]" * 100_000 + "}")
    elif damage == "binary":
        cache.write_bytes(b"\xff\xfe\x00garbage")
    elif damage == "folder":
        cache.mkdir()
    elif damage == "fifo":
        os.mkfifo(cache)
    elif damage == "huge":
        with open(cache, "wb") as f:
            f.truncate(_color_data.MAX_BYTES + 1)
    else:
        cache.write_text(json.dumps({"entries": [{"r": 1, "g": 2, "b": 3, "label": "sky-ish"}]}))
    data = load_color_data(cache_dir=tmp_path, download=False)
    assert data.is_fallback and len(data) > 800


@pytest.mark.parametrize("path, message", [
    ("a\0b.json", r"path contains a NUL byte: 'a\\x00b\.json'\. Give a plain file path\."),
    ("x" * 5000, r"path is too long for the file system: 'x{78}…\. Use a shorter name\."),
    (5, r"path must be a file path \(a str or pathlib\.Path\), not 5\."),
    (b"colorData.json", r"path must be a file path \(a str or pathlib\.Path\), not b'colorData\.json'\."),
])
def test_paths_that_are_not_usable_are_data_errors(path, message):
    with pytest.raises(DataError, match=message):
        load_color_data(path)


def test_bad_cache_dir_and_timeout_are_refused():
    with pytest.raises(DataError, match=r"cache_dir contains a NUL byte"):
        load_color_data(cache_dir="a\0b")
    with pytest.raises(DataError, match=r"timeout must be a number, not '5'\."):
        load_color_data(timeout="5")


def test_an_entry_error_quotes_only_a_little(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"entries": [{"r": 1, "g": 2, "b": 3, "label": "x" * 1_000_000}]}))
    with pytest.raises(DataError, match=r"entry 0 has unknown label 'x+…; use one of") as error:
        load_color_data(path)
    assert len(str(error.value)) < 400
