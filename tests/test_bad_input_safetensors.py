"""safetensors files: read by the format's spec in plain Python; every damaged field is a BackboneError."""

import json
import os
import struct

import pytest
import torch

from py5ml import BackboneError, load_safetensors, save_safetensors


def handmade(path, header, data):
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)
    return path


def test_a_file_written_by_the_spec_loads(tmp_path):
    path = handmade(tmp_path / "w.safetensors", {"__metadata__": {"format": "pt"},
                                                 "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                                 "b": {"dtype": "I64", "shape": [1, 1], "data_offsets": [8, 16]}},
                    struct.pack("<ff", 1.5, -2.0) + struct.pack("<q", 7))
    state = load_safetensors(path)
    assert state["a"].tolist() == [1.5, -2.0] and state["b"].tolist() == [[7]] and set(state) == {"a", "b"}


def test_save_then_load_round_trips(tmp_path):
    state = {"w": torch.randn(3, 4), "n": torch.tensor([1, 2], dtype=torch.int64), "empty": torch.zeros(0)}
    back = load_safetensors(save_safetensors(state, tmp_path / "s.safetensors"))
    assert all(torch.equal(state[k], back[k]) for k in state)
    assert [p.name for p in tmp_path.iterdir()] == ["s.safetensors"]


@pytest.mark.parametrize("header, data, message", [
    ({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8, r"tensor 'a' has a damaged entry"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 800]}}, b"\0" * 8, r"tensor 'a' has a damaged entry"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}, b"\0" * 8, r"tensor 'a' has a damaged entry"),
    ({"a": {"dtype": "PICKLE", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8, r"tensor 'a' has a damaged entry"),
    ({"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, b"\0" * 8, r"tensor 'a' has a damaged entry"),
    ({"a": [1, 2]}, b"", r"tensor 'a' has a damaged entry \[1, 2\]"),
    ([1, 2], b"", r"is not a safetensors file \(its header is not a table of tensors\)"),
])
def test_damaged_entries_are_refused(tmp_path, header, data, message):
    with pytest.raises(BackboneError, match=message):
        load_safetensors(handmade(tmp_path / "w.safetensors", header, data))


def test_a_header_length_past_the_end_is_refused(tmp_path):
    path = tmp_path / "w.safetensors"
    path.write_bytes(struct.pack("<Q", 2**60) + b"{}")
    with pytest.raises(BackboneError, match=r"is not a safetensors file \(its header length 1,152,921,504,606,846,976 does not fit\)"):
        load_safetensors(path)


def test_a_fifo_and_a_short_file_are_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo.safetensors")
    with pytest.raises(BackboneError, match="is not a regular file"):
        load_safetensors(tmp_path / "fifo.safetensors")
    (tmp_path / "short.safetensors").write_bytes(b"abc")
    with pytest.raises(BackboneError, match="is too short to be a safetensors file"):
        load_safetensors(tmp_path / "short.safetensors")


def test_a_dtype_that_is_not_text_is_refused(tmp_path):
    path = handmade(tmp_path / "w.safetensors", {"a": {"dtype": ["F32"], "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8)
    with pytest.raises(BackboneError, match=r"tensor 'a' has a damaged entry"):
        load_safetensors(path)
