"""Write the crafted corpus of broken model files: one folder per case, each with expect.txt.

Run from the repository root: `.venv/bin/python tests/bad_models/make_bad_models.py`. Every case
starts from a small valid model (3 -> Dense 4 relu -> Dense 2 softmax, labels ["yes", "no"]) and
breaks one thing; expect.txt holds the regex the ModelFileError message must match.
"""

import json
import os
import shutil
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
HUGE = 2**31 - 1


def base_files():
    rng = np.random.default_rng(7)
    kernel1, bias1 = rng.normal(size=(3, 4)), rng.normal(size=4)
    kernel2, bias2 = rng.normal(size=(4, 2)), rng.normal(size=2)
    weights = b"".join(np.asarray(a, "<f4").tobytes() for a in (kernel1, bias1, kernel2, bias2))
    dense = lambda name, units, act, **extra: {"class_name": "Dense", "config": {"name": name, "units": units, "activation": act, "use_bias": True, **extra}}
    doc = {
        "format": "layers-model", "generatedBy": "py5ml bad-model corpus", "convertedBy": None,
        "modelTopology": {"class_name": "Sequential", "config": {"name": "s", "layers": [
            dense("d1", 4, "relu", batch_input_shape=[None, 3]), dense("d2", 2, "softmax")]},
            "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"},
        "weightsManifest": [{"paths": ["./model.weights.bin"], "weights": [
            {"name": "d1/kernel", "shape": [3, 4], "dtype": "float32"}, {"name": "d1/bias", "shape": [4], "dtype": "float32"},
            {"name": "d2/kernel", "shape": [4, 2], "dtype": "float32"}, {"name": "d2/bias", "shape": [2], "dtype": "float32"}]}],
        "userDefinedMetadata": {"py5ml": {"labels": ["yes", "no"]}},
    }
    return doc, weights


def layers(doc):
    return doc["modelTopology"]["config"]["layers"]


def entries(doc):
    return doc["weightsManifest"][0]["weights"]


def case(name, expect, edit_doc=None, weights=None, raw_json=None, extra=None):
    """One case: edit_doc(doc) mutates the JSON; weights(bytes) -> bytes; raw_json replaces model.json."""
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    doc, data = base_files()
    if edit_doc:
        edit_doc(doc)
    text = raw_json if raw_json is not None else json.dumps(doc).encode()
    (folder / "model.json").write_bytes(text)
    if weights is not False:
        (folder / "model.weights.bin").write_bytes(weights(data) if weights else data)
    if extra:
        extra(folder)
    (folder / "expect.txt").write_text(expect + "\n")


def set_path(path):
    return lambda doc: doc["weightsManifest"][0].__setitem__("paths", [path])


def nan_weights(data):
    array = np.frombuffer(data, "<f4").copy()
    array[5] = np.nan
    return array.tobytes()


def inf_weights(data):
    array = np.frombuffer(data, "<f4").copy()
    array[-1] = np.inf
    return array.tobytes()


def symlink_outside(folder):
    (folder / "model.weights.bin").unlink()
    os.symlink("../_outside/secret.bin", folder / "model.weights.bin")


def make_all():
    outside = HERE / "_outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.bin").write_bytes(base_files()[1])  # right size: only the location is wrong
    case("truncated_weights", "too short", weights=lambda d: d[:-4])
    case("oversized_weights", "longer than declared", weights=lambda d: d + b"\0" * 4)
    case("empty_weights_file", "too short", weights=lambda d: b"")
    case("missing_weights_file", "is missing", weights=False)
    case("shape_mismatch", r"has shape \[4, 3\] but layer 'd1' needs \[3, 4\]", lambda d: entries(d)[0].__setitem__("shape", [4, 3]))
    case("dtype_mismatch", "dtype 'float16'", lambda d: entries(d)[0].__setitem__("dtype", "float16"))
    case("quantized_weights", "is quantized", lambda d: entries(d)[0].__setitem__("quantization", {"dtype": "uint8", "scale": 0.1, "min": 0}))
    case("nan_weights", "NaN or infinity", weights=nan_weights)
    case("inf_weights", "NaN or infinity", weights=inf_weights)
    case("dotdot_path", "points outside the model's folder", set_path("../truncated_weights/model.weights.bin"))
    case("absolute_path", "points outside the model's folder", set_path("/etc/passwd"))
    case("url_path", "not a plain relative file name", set_path("https://example.com/model.weights.bin"))
    case("symlink_outside", "link that leads outside", extra=symlink_outside)
    case("huge_declared_shape", "refuses more than", lambda d: (
        layers(d)[0]["config"].__setitem__("batch_input_shape", [None, HUGE]),
        layers(d)[0]["config"].__setitem__("units", HUGE), layers(d)[1]["config"].__setitem__("units", 2),
        entries(d)[0].__setitem__("shape", [HUGE, HUGE]), entries(d)[1].__setitem__("shape", [HUGE]),
        entries(d)[2].__setitem__("shape", [HUGE, 2])))
    case("invalid_json", "not valid JSON", raw_json=b'{"modelTopology": {"class_name": "Sequential",')
    case("empty_model_json", "not valid JSON", raw_json=b"")
    case("not_utf8", "not valid JSON", raw_json=b'{"a": "\xff\xfe"}')
    case("nan_in_json", "not valid JSON", raw_json=b'{"modelTopology": NaN}')
    case("deeply_nested_json", "not valid JSON|must be an object", raw_json=b"[" * 20_000 + b"]" * 20_000)
    case("json_is_a_list", "has no modelTopology", raw_json=b"[1, 2, 3]")
    case("missing_model_topology", "has no modelTopology", lambda d: d.pop("modelTopology"))
    case("topology_not_object", "modelTopology must be an object", lambda d: d.__setitem__("modelTopology", "Sequential"))
    case("functional_model", "Sequential models only", lambda d: d["modelTopology"].__setitem__("class_name", "Model"))
    case("layers_not_list", "must be a non-empty list", lambda d: d["modelTopology"]["config"].__setitem__("layers", {"0": {}}))
    case("empty_layers", "must be a non-empty list", lambda d: d["modelTopology"]["config"].__setitem__("layers", []))
    case("layer_not_object", "must be an object with class_name", lambda d: layers(d).append("Dense"))
    case("unknown_layer_class", "is a 'Conv2D', which py5ml cannot read", lambda d: layers(d).insert(1, {"class_name": "Conv2D", "config": {"name": "c"}}))
    case("wrong_activation", "activation 'sigmoidish'", lambda d: layers(d)[1]["config"].__setitem__("activation", "sigmoidish"))
    case("labels_count_mismatch", "has 3 labels but the model's last layer has 2 outputs", lambda d: d["userDefinedMetadata"]["py5ml"].__setitem__("labels", ["a", "b", "c"]))
    case("labels_not_strings", "must be a list of strings", lambda d: d["userDefinedMetadata"]["py5ml"].__setitem__("labels", [1, 2]))
    case("metadata_not_object", "must be an object", lambda d: d["userDefinedMetadata"].__setitem__("py5ml", [1]))
    case("negative_dims", "bad dimension -3", lambda d: entries(d)[0].__setitem__("shape", [-3, 4]))
    case("float_dims", "bad dimension 3.0", lambda d: layers(d)[0]["config"].__setitem__("batch_input_shape", [None, 3.0]))
    case("string_units", "positive whole number of units", lambda d: layers(d)[0]["config"].__setitem__("units", "4"))
    case("zero_units", "positive whole number of units", lambda d: layers(d)[1]["config"].__setitem__("units", 0))
    case("no_batch_input_shape", "needs batch_input_shape", lambda d: layers(d)[0]["config"].pop("batch_input_shape"))
    case("missing_manifest", "needs a weightsManifest", lambda d: d.pop("weightsManifest"))
    case("manifest_paths_not_list", "must be an object with a 'paths' list", lambda d: d["weightsManifest"][0].__setitem__("paths", "./model.weights.bin"))
    case("missing_weight_entry", "no entry for 'd2/bias'", lambda d: entries(d).pop(), weights=lambda d: d[:-8])
    case("unknown_weight_name", "which no layer in modelTopology uses", lambda d: entries(d)[3].__setitem__("name", "d9/bias"))
    case("duplicate_weight", "lists a weight twice", lambda d: entries(d).append(dict(entries(d)[3])), weights=lambda d: d + d[-8:])
    case("bad_dropout_rate", "needs a rate between 0 and 1", lambda d: layers(d).insert(1, {"class_name": "Dropout", "config": {"name": "x", "rate": 1.5}}))
    case("ml5_meta_broken", "needs an 'outputs' object", lambda d: d.pop("userDefinedMetadata"),
         extra=lambda f: (f / "model_meta.json").write_text('{"inputs": {}, "outputs": 7}'))
    case("ml5_specs_bad_labels", "at most 2 label strings", lambda d: (d.pop("userDefinedMetadata"),
         d.__setitem__("ml5Specs", {"mapStringToIndex": ["a", "b", "c"]})))


if __name__ == "__main__":
    make_all()
    print(sorted(p.name for p in HERE.iterdir() if p.is_dir()))
