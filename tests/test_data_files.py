"""Data files: ml5's JSON, records and CSV, from paths and URLs; save_data in ml5's exact format."""

import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path

import pytest

import py5ml
from py5ml import DataError, NeuralNetwork
from py5ml.data import _data_files
from py5ml.data._data_files import read_data, write_data
from py5ml.network._network_data import raw_examples

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ML5 = SHARED / "ml5_examples" / "NeuralNetwork"
TITANIC = ML5 / "NeuralNetwork_titanic" / "data" / "titanic_cleaned.csv"
CO2 = ML5 / "NeuralNetwork_co2net" / "data" / "co2stats.csv"

# What ml5 0.x's saveData() writes: JSON.stringify({data: this.data.raw}), raw rows as added.
ML5_SAVED = ('{"data":[{"xs":{"x":0.12,"y":0.5},"ys":{"label":"A"}},{"xs":{"x":0.9,"y":0.25},"ys":{"label":"B"}},'
             '{"xs":{"x":0.2,"y":0.75},"ys":{"label":"A"}},{"xs":{"x":1,"y":0},"ys":{"label":"B"}}]}')


def finish(task):
    """Run the frame scheduler until ``task`` ends (what a sketch's frames do)."""
    scheduler = py5ml.get_scheduler()
    for _ in range(10_000):
        if task.is_done:
            return task
        scheduler.step()
    raise AssertionError("the load did not finish")


def test_a_file_saved_by_ml5_loads_and_calls_back(tmp_path):
    path = tmp_path / "ml5_data.json"
    path.write_text(ML5_SAVED)
    nn = NeuralNetwork()
    calls = []
    task = finish(nn.load_data(path, lambda: calls.append(len(nn.data))))
    assert task.exception is None and calls == [4]
    assert nn.labels == ["A", "B"] and nn.data.input_names == ["x", "y"]
    assert raw_examples(nn.data)[3] == {"xs": {"x": 1, "y": 0}, "ys": {"label": "B"}}


def test_save_data_writes_exactly_ml5s_format(tmp_path):
    nn = NeuralNetwork(inputs=["x", "y"])
    for row in json.loads(ML5_SAVED)["data"]:
        nn.add_data([row["xs"]["x"], row["xs"]["y"]], row["ys"]["label"])  # lists and bare labels
    path = nn.save_data("my_data", directory=tmp_path)
    assert path == tmp_path / "my_data.json"
    assert path.read_text() == ML5_SAVED  # byte for byte: compact, xs before ys, 1 not 1.0
    assert sorted(os.listdir(tmp_path)) == ["my_data.json"]  # no temporary files left


def test_unnamed_inputs_get_ml5s_names_and_round_trip(tmp_path):
    nn = NeuralNetwork(task="regression")
    nn.add_data([1.5, 2], [3])
    nn.add_data([2.5, 4], [5])
    saved = json.loads(nn.save_data("r", directory=tmp_path).read_text())
    assert saved["data"][0] == {"xs": {"input_0": 1.5, "input_1": 2}, "ys": {"output_0": 3}}
    again = NeuralNetwork(task="regression")
    finish(again.load_data(tmp_path / "r.json"))
    assert raw_examples(again.data) == raw_examples(nn.data)


def test_save_data_without_a_name_uses_ml5s_date_name(tmp_path):
    nn = NeuralNetwork()
    nn.add_data([1], "A")
    path = nn.save_data(directory=tmp_path)
    assert path.suffix == ".json" and path.stem.count("_") == 1 and path.stem.count("-") == 4


def test_csv_numbers_are_parsed_and_strings_kept():
    rows = read_data(TITANIC, inputs=["fare_class", "sex", "age", "fare"], outputs=["survived"])
    assert len(rows) == 1308
    assert rows[0] == {"xs": {"fare_class": "first", "sex": "male", "age": 39, "fare": 0}, "ys": {"survived": "died"}}


def test_quoted_csv_cells_keep_their_commas():
    rows = read_data(CO2, inputs=["city_name"], outputs=["population_cdp"])
    assert rows[3] == {"xs": {"city_name": "Ajax, ON"}, "ys": {"population_cdp": 109600}}


def test_data_url_loads_a_csv_for_regression():
    calls = []
    nn = NeuralNetwork(task="regression", data_url=str(CO2), inputs=["population_cdp", "latitude_degrees"],
                       outputs=["scope1_ghg_emissions_tons_co2e"], data_loaded=lambda: calls.append(1))
    finish(nn.load_task)
    assert calls == [1] and len(nn.data) == 150
    assert raw_examples(nn.data)[1]["ys"] == {"scope1_ghg_emissions_tons_co2e": 3708292}


def test_records_json_with_entries_like_color_data(tmp_path):
    path = tmp_path / "colors.json"
    path.write_text(json.dumps({"entries": [{"r": 255, "g": 0, "b": 0, "label": "red-ish", "uid": "u1"},
                                            {"r": 0, "g": 0, "b": 255, "label": "blue-ish", "uid": "u2"}]}))
    assert read_data(path, inputs=["r", "g", "b"], outputs=["label"])[1] == {
        "xs": {"r": 0, "g": 0, "b": 255}, "ys": {"label": "blue-ish"}}


@pytest.fixture
def http_folder(tmp_path):
    """A web server on a free port serving ``tmp_path``; yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_loads_from_http_and_file_urls(tmp_path, http_folder):
    (tmp_path / "data.json").write_text(ML5_SAVED)
    from_http = NeuralNetwork()
    finish(from_http.load_data(f"{http_folder}/data.json"))
    from_file = NeuralNetwork()
    finish(from_file.load_data((tmp_path / "data.json").as_uri()))
    assert raw_examples(from_http.data) == raw_examples(from_file.data) == json.loads(ML5_SAVED)["data"]


def test_a_missing_url_is_a_data_error(http_folder):
    task = finish(NeuralNetwork().load_data(f"{http_folder}/nope.json"))
    assert isinstance(task.exception, DataError) and "404" in str(task.exception)


def test_a_missing_file_is_reported_at_the_call(tmp_path):
    with pytest.raises(DataError, match="Can't find the data file"):
        NeuralNetwork().load_data(tmp_path / "nope.json")


def test_a_folder_or_fifo_is_refused(tmp_path):
    with pytest.raises(DataError, match="not a regular file"):
        NeuralNetwork().load_data(tmp_path)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        read_data(fifo)


BAD_FILES = {
    "nan.json": ('{"data": [{"xs": {"x": NaN}, "ys": {"label": "A"}}]}', "not valid JSON"),
    "deep.json": ("[" * 100_000 + "]" * 100_000, "not valid JSON|not a record"),
    "object_value.json": ('{"data": [{"xs": {"x": {"y": 1}}, "ys": {"label": "A"}}]}', "a number, a text"),
    "bool_value.json": ('{"data": [{"xs": {"x": true}, "ys": {"label": "A"}}]}', "a number, a text"),
    "ragged.json": ('{"data": [{"xs": {"x": 1}, "ys": {"label": "A"}}, {"xs": {"z": 1}, "ys": {"label": "B"}}]}',
                    "Every example needs the same names"),
    "empty.json": ('{"data": []}', "no examples"),
    "no_list.json": ('{"rows": 3}', "no list of examples"),
    "ragged.csv": ("a,b\n1,2\n3\n", "line 3: 1 values"),
    "header.csv": ("a,a\n1,2\n", "name every column once"),
    "binary.csv": (b"\xff\xfe\x00a", "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_and_nothing_is_added(tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    nn = NeuralNetwork(inputs=["a", "b"])
    task = finish(nn.load_data(path, outputs=["b"]))
    assert isinstance(task.exception, DataError)
    assert re.search(message, str(task.exception))
    assert len(nn.data) == 0 and raw_examples(nn.data) == []


def test_a_table_needs_column_names(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"say which columns to use.*inputs=\['age', 'fare'\]"):
        read_data(path)


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"row 0 has no 'c'.*\['a', 'b'\]"):
        read_data(path, inputs=["a"], outputs=["c"])


def test_too_big_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(_data_files, "MAX_DATA_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(ML5_SAVED)
    with pytest.raises(DataError, match="larger than"):
        read_data(path)


def test_a_refused_row_mid_file_leaves_the_network_as_it_was(tmp_path):
    nn = NeuralNetwork(outputs=["A", "B"])  # fixed labels: "C" is refused
    nn.add_data({"x": 0.5, "y": 0.5}, "A")
    rows = json.loads(ML5_SAVED)["data"] + [{"xs": {"x": 0, "y": 0}, "ys": {"label": "C"}}]
    (tmp_path / "c.json").write_text(json.dumps({"data": rows}))
    task = finish(nn.load_data(tmp_path / "c.json"))
    assert isinstance(task.exception, DataError) and "'C'" in str(task.exception)
    assert len(nn.data) == 1 and len(raw_examples(nn.data)) == 1


def test_ml5_style_error_first_callback_gets_the_examples(tmp_path):
    (tmp_path / "d.json").write_text(ML5_SAVED)
    got = []
    finish(NeuralNetwork().load_data(tmp_path / "d.json", lambda error, results: got.append((error, len(results)))))
    assert got == [(None, 4)]


@pytest.mark.parametrize("name", ["a/b", "", "..", "x\\y"])
def test_save_data_refuses_folder_names(tmp_path, name):
    nn = NeuralNetwork()
    nn.add_data([1], "A")
    with pytest.raises(DataError, match="without folders"):
        nn.save_data(name, directory=tmp_path)
    assert os.listdir(tmp_path) == []


def test_save_data_with_nothing_added():
    with pytest.raises(DataError, match="no data to save"):
        NeuralNetwork().save_data("x")


def test_write_data_replaces_a_file_whole(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("old")
    write_data(json.loads(ML5_SAVED)["data"], path)
    assert path.read_text() == ML5_SAVED and os.listdir(tmp_path) == ["d.json"]


def test_numpy_rows_and_labels_are_kept_as_plain_numbers(tmp_path):
    import numpy as np

    nn = NeuralNetwork(inputs=["r", "g", "b"])
    nn.add_data(np.array([255, 0, 10], dtype=np.float32), "red-ish")
    nn.add_data({"r": np.float32(0.5), "g": 1, "b": 2}, "blue-ish")
    saved = json.loads(nn.save_data("np", directory=tmp_path).read_text())["data"]
    assert saved == [{"xs": {"r": 255, "g": 0, "b": 10}, "ys": {"label": "red-ish"}},
                     {"xs": {"r": 0.5, "g": 1, "b": 2}, "ys": {"label": "blue-ish"}}]


def test_save_color_data_refuses_what_would_not_load(tmp_path):
    path = tmp_path / "colors.json"
    with pytest.raises(DataError, match="unknown label 'teal'"):
        py5ml.save_color_data([{"r": 1, "g": 2, "b": 3, "label": "teal", "uid": "x"}], path)
    assert not path.exists()


def test_a_missing_data_url_is_reported_by_the_load_task(tmp_path):
    nn = NeuralNetwork(data_url=str(tmp_path / "nope.csv"), inputs=["a"], outputs=["b"])  # as ml5: no error here
    task = finish(nn.load_task)
    assert isinstance(task.exception, DataError) and "Can't find the data file" in str(task.exception)
