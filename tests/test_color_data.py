"""The color data loader: the real file, the cache, the download, the offline default, bad files."""

import json
from collections import Counter

import numpy as np
import pytest

from py5ml.data import _color_data
from py5ml.data._color_data import COLOR_LABELS, load_color_data
from py5ml._errors import DataError

REAL_COUNTS = {
    "red-ish": 412, "green-ish": 1599, "blue-ish": 1218, "orange-ish": 259, "yellow-ish": 275,
    "pink-ish": 511, "purple-ish": 823, "brown-ish": 319, "grey-ish": 227,
}


def _write(tmp_path, doc, name="colors.json"):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _entry(r=10, g=20, b=30, label="blue-ish"):
    return {"r": r, "g": g, "b": b, "label": label, "uid": "x"}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(url, timeout):
        raise OSError("no network in tests")
    monkeypatch.setattr(_color_data, "_fetch", refuse)


def test_real_file_loads_with_known_label_counts(color_data_path):
    data = load_color_data(color_data_path)
    assert len(data) == 5643 and data.rgb.shape == (5643, 3) and data.rgb.dtype == np.float32
    assert Counter(data.labels) == REAL_COUNTS
    assert not data.is_fallback
    assert data.rgb[0].tolist() == [81, 183, 155] and data.labels[0] == "green-ish"


def test_label_indices_and_one_hot_follow_color_labels(color_data_path):
    data = load_color_data(color_data_path)
    idx = data.label_indices()
    assert idx.dtype == np.int64 and idx[0] == COLOR_LABELS.index("green-ish")
    hot = data.one_hot()
    assert hot.shape == (5643, 9) and hot.dtype == np.float32
    assert np.array_equal(hot.argmax(1), idx) and np.all(hot.sum(1) == 1)


def test_offline_with_empty_cache_uses_xkcd_fallback(tmp_path, no_network):
    data = load_color_data(download=False, cache_dir=tmp_path)
    assert data.is_fallback and len(data) >= 500
    assert set(data.labels) == set(COLOR_LABELS)
    assert data.source.startswith("offline fallback: XKCD color survey")
    assert data.describe().startswith("offline: using XKCD colors")
    assert data.rgb.min() >= 0 and data.rgb.max() <= 255


def test_failed_download_falls_back(tmp_path, no_network):
    data = load_color_data(cache_dir=tmp_path)
    assert data.is_fallback and not (tmp_path / "colorData.json").exists()


def test_fallback_labels_are_sensible():
    data = load_color_data(download=False, cache_dir="/nonexistent/py5ml-test")
    mean = {label: data.rgb[np.array(data.labels) == label].mean(0) for label in COLOR_LABELS}
    assert mean["red-ish"][0] > mean["red-ish"][2]
    assert mean["blue-ish"][2] > mean["blue-ish"][0]
    assert mean["green-ish"][1] > mean["green-ish"][0]
    assert mean["yellow-ish"][:2].min() > mean["yellow-ish"][2]


def test_cached_copy_is_used(tmp_path, no_network):
    _write(tmp_path, {"entries": [_entry(), _entry(200, 10, 10, "red-ish")]}, "colorData.json")
    data = load_color_data(cache_dir=tmp_path)
    assert len(data) == 2 and data.labels == ("blue-ish", "red-ish") and not data.is_fallback
    assert data.source == "colorData.json (Coding Train, 2 colors)"


def test_env_var_picks_the_cache_dir(tmp_path, monkeypatch, no_network):
    _write(tmp_path, {"entries": [_entry()]}, "colorData.json")
    monkeypatch.setenv("PY5ML_CACHE", str(tmp_path))
    assert len(load_color_data()) == 1


def test_damaged_cache_is_ignored(tmp_path, no_network):
    _write(tmp_path, "{not json", "colorData.json")
    assert load_color_data(cache_dir=tmp_path).is_fallback


def test_download_is_validated_then_cached(tmp_path, monkeypatch):
    good = json.dumps({"entries": [_entry(), _entry(1, 2, 3, "grey-ish")]}).encode()
    calls = []

    def fetch(url, timeout):
        calls.append((url, timeout))
        return good
    monkeypatch.setattr(_color_data, "_fetch", fetch)
    data = load_color_data(cache_dir=tmp_path / "cache", timeout=1.5)
    assert calls == [(_color_data.DATA_URL, 1.5)]
    assert len(data) == 2 and not data.is_fallback
    assert (tmp_path / "cache" / "colorData.json").read_bytes() == good
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["colorData.json"]  # no temp files


def test_bad_download_is_not_cached(tmp_path, monkeypatch):
    bad = json.dumps({"entries": [_entry(r=300)]}).encode()
    monkeypatch.setattr(_color_data, "_fetch", lambda url, timeout: bad)
    data = load_color_data(cache_dir=tmp_path)
    assert data.is_fallback and not (tmp_path / "colorData.json").exists()


def test_download_false_never_fetches(tmp_path, monkeypatch):
    monkeypatch.setattr(_color_data, "_fetch", lambda url, timeout: pytest.fail("fetched"))
    assert load_color_data(download=False, cache_dir=tmp_path).is_fallback


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(DataError, match=r"Can't find the color data file .*nope\.json\. Check the path"):
        load_color_data(tmp_path / "nope.json")


def test_invalid_json_names_the_file(tmp_path):
    path = _write(tmp_path, '{"entries": [')
    with pytest.raises(DataError, match=r"colors\.json is not valid JSON .*Download colorData\.json again"):
        load_color_data(path)


@pytest.mark.parametrize("doc", [{"entries": []}, {"colors": [1]}, [1, 2]])
def test_no_entries(tmp_path, doc):
    with pytest.raises(DataError, match=r"colors\.json has no color entries: expected"):
        load_color_data(_write(tmp_path, doc))


@pytest.mark.parametrize("bad, shown", [(256, "g=256"), (-1, "g=-1"), ("7", "g='7'"), (None, "g=None"), (True, "g=True")])
def test_bad_channel_names_the_entry(tmp_path, bad, shown):
    path = _write(tmp_path, {"entries": [_entry(), _entry(), _entry(g=bad)]})
    with pytest.raises(DataError, match=rf"colors\.json: entry 2 has {shown}; r, g and b must be numbers from 0 to 255"):
        load_color_data(path)


def test_unknown_label_names_the_entry(tmp_path):
    path = _write(tmp_path, {"entries": [_entry(), _entry(label="teal-ish")]})
    with pytest.raises(DataError, match=r"entry 1 has unknown label 'teal-ish'; use one of red-ish, green-ish"):
        load_color_data(path)


def test_entry_that_is_not_an_object(tmp_path):
    with pytest.raises(DataError, match=r"entry 0 is \[1, 2, 3\], not an object"):
        load_color_data(_write(tmp_path, {"entries": [[1, 2, 3]]}))


def test_data_error_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_color_data(tmp_path / "missing.json")
