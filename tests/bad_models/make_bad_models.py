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
WIDE = 46_341  # a WIDE x WIDE float32 kernel is 8.6 GB: more than any sketch model


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


def conv_files():
    """A small functional image model: 8x8x3 -> Conv2D 4 (3x3) -> BatchNorm -> ReLU 6 -> Add -> pool -> Dense 2."""
    rng = np.random.default_rng(8)
    shapes = [("c/kernel", [3, 3, 3, 4]), ("bn/gamma", [4]), ("bn/beta", [4]), ("bn/moving_mean", [4]),
              ("bn/moving_variance", [4]), ("d/kernel", [4, 2]), ("d/bias", [2])]
    arrays = [np.abs(rng.normal(size=shape)) + 0.1 for _, shape in shapes]
    layer = lambda cls, name, inbound, **config: {"class_name": cls, "name": name, "config": {"name": name, **config},
                                                  "inbound_nodes": [[[ref, 0, 0, {}] for ref in inbound]] if inbound else []}
    layers = [
        layer("InputLayer", "image", [], batch_input_shape=[None, 8, 8, 3]),
        layer("Conv2D", "c", ["image"], filters=4, kernel_size=[3, 3], strides=[2, 2], padding="same", use_bias=False),
        layer("BatchNormalization", "bn", ["c"], axis=-1, epsilon=0.001),
        layer("ReLU", "relu", ["bn"], max_value=6),
        layer("Add", "add", ["relu", "bn"]),
        layer("GlobalAveragePooling2D", "pool", ["add"]),
        layer("Dense", "d", ["pool"], units=2, activation="softmax"),
    ]
    doc = {
        "format": "layers-model", "generatedBy": "py5ml bad-model corpus", "convertedBy": None,
        "modelTopology": {"class_name": "Model", "config": {"name": "m", "layers": layers,
                          "input_layers": [["image", 0, 0]], "output_layers": [["d", 0, 0]]}},
        "weightsManifest": [{"paths": ["./model.weights.bin"], "weights": [
            {"name": name, "shape": shape, "dtype": "float32"} for name, shape in shapes]}],
        "userDefinedMetadata": {"py5ml": {"labels": ["yes", "no"]}},
    }
    return doc, b"".join(np.asarray(a, "<f4").tobytes() for a in arrays)


def graph_layer(doc, name):
    return next(layer for layer in doc["modelTopology"]["config"]["layers"] if layer["name"] == name)


def case(name, expect, edit_doc=None, weights=None, raw_json=None, extra=None, base=None):
    """One case: edit_doc(doc) mutates the JSON; weights(bytes) -> bytes; raw_json replaces model.json."""
    folder = HERE / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    doc, data = (base or base_files)()
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
        layers(d)[0]["config"].__setitem__("batch_input_shape", [None, WIDE]),
        layers(d)[0]["config"].__setitem__("units", WIDE), layers(d)[1]["config"].__setitem__("units", 2),
        entries(d)[0].__setitem__("shape", [WIDE, WIDE]), entries(d)[1].__setitem__("shape", [WIDE]),
        entries(d)[2].__setitem__("shape", [WIDE, 2])))
    case("invalid_json", "not valid JSON", raw_json=b'{"modelTopology": {"class_name": "Sequential",')
    case("empty_model_json", "not valid JSON", raw_json=b"")
    case("not_utf8", "not valid JSON", raw_json=b'{"a": "\xff\xfe"}')
    case("nan_in_json", "not valid JSON", raw_json=b'{"modelTopology": NaN}')
    case("deeply_nested_json", "not valid JSON|must be an object", raw_json=b"[" * 20_000 + b"]" * 20_000)
    case("json_is_a_list", "has no modelTopology", raw_json=b"[1, 2, 3]")
    case("missing_model_topology", "has no modelTopology", lambda d: d.pop("modelTopology"))
    case("topology_not_object", "modelTopology must be an object", lambda d: d.__setitem__("modelTopology", "Sequential"))
    case("functional_model", "needs input_layers", lambda d: d["modelTopology"].__setitem__("class_name", "Model"))
    case("layers_not_list", "must be a non-empty list", lambda d: d["modelTopology"]["config"].__setitem__("layers", {"0": {}}))
    case("empty_layers", "must be a non-empty list", lambda d: d["modelTopology"]["config"].__setitem__("layers", []))
    case("layer_not_object", "must be an object with class_name", lambda d: layers(d).append("Dense"))
    case("unknown_layer_class", r"Layer 'c' \(LSTM\): py5ml cannot read 'LSTM' layers", lambda d: layers(d).insert(1, {"class_name": "LSTM", "config": {"name": "c"}}))
    case("wrong_activation", "activation 'sigmoidish'", lambda d: layers(d)[1]["config"].__setitem__("activation", "sigmoidish"))
    case("labels_count_mismatch", "has 3 labels but the model's last layer has 2 outputs", lambda d: d["userDefinedMetadata"]["py5ml"].__setitem__("labels", ["a", "b", "c"]))
    case("labels_not_strings", "must be a list of non-empty strings", lambda d: d["userDefinedMetadata"]["py5ml"].__setitem__("labels", [1, 2]))
    case("metadata_not_object", "must be an object", lambda d: d["userDefinedMetadata"].__setitem__("py5ml", [1]))
    case("negative_dims", "bad dimension -3", lambda d: entries(d)[0].__setitem__("shape", [-3, 4]))
    case("float_dims", r"bad dimension in \[None, 3.0\]", lambda d: layers(d)[0]["config"].__setitem__("batch_input_shape", [None, 3.0]))
    case("string_units", "units must be a whole number from 1", lambda d: layers(d)[0]["config"].__setitem__("units", "4"))
    case("zero_units", "units must be a whole number from 1", lambda d: layers(d)[1]["config"].__setitem__("units", 0))
    case("no_batch_input_shape", "needs batch_input_shape", lambda d: layers(d)[0]["config"].pop("batch_input_shape"))
    case("missing_manifest", "needs a weightsManifest", lambda d: d.pop("weightsManifest"))
    case("manifest_paths_not_list", "must be an object with a 'paths' list", lambda d: d["weightsManifest"][0].__setitem__("paths", "./model.weights.bin"))
    case("missing_weight_entry", "no entry for 'd2/bias'", lambda d: entries(d).pop(), weights=lambda d: d[:-8])
    case("unknown_weight_name", "which no layer in modelTopology uses", lambda d: entries(d)[3].__setitem__("name", "d9/bias"))
    case("duplicate_weight", "lists a weight twice", lambda d: entries(d).append(dict(entries(d)[3])), weights=lambda d: d + d[-8:])
    case("bad_dropout_rate", r"\(Dropout\): rate must be a number from 0 to 1, not 1.5", lambda d: layers(d).insert(1, {"class_name": "Dropout", "config": {"name": "x", "rate": 1.5}}))
    case("ml5_meta_broken", "needs an 'outputs' object", lambda d: d.pop("userDefinedMetadata"),
         extra=lambda f: (f / "model_meta.json").write_text('{"inputs": {}, "outputs": 7}'))
    case("ml5_specs_bad_labels", "at most 2 label strings", lambda d: (d.pop("userDefinedMetadata"),
         d.__setitem__("ml5Specs", {"mapStringToIndex": ["a", "b", "c"]})))

    make_graph_cases()


def make_graph_cases():
    """Functional and image models: the classes the TF.js interpreter added (issues 7 and 10)."""
    conv = conv_files
    case("conv_kernel_shape_mismatch", r"'c/kernel' has shape \[3, 3, 4, 4\] but layer 'c' needs \[3, 3, 3, 4\]",
         lambda d: entries(d)[0].__setitem__("shape", [3, 3, 4, 4]), weights=lambda w: w + b"\0" * 4 * 36, base=conv)
    case("graph_cycle", r"\['add', 'bn', 'c', 'relu'\] feed each other in a cycle", lambda d: graph_layer(d, "c")["inbound_nodes"][0].__setitem__(0, ["add", 0, 0, {}]), base=conv)
    case("self_loop", r"\['bn'\] feed each other in a cycle", lambda d: graph_layer(d, "bn")["inbound_nodes"][0].__setitem__(0, ["bn", 0, 0, {}]), base=conv)
    case("unknown_inbound_layer", r"Layer 'add' takes its input from 'nowhere', which is not a layer",
         lambda d: graph_layer(d, "add")["inbound_nodes"][0].__setitem__(1, ["nowhere", 0, 0, {}]), base=conv)
    case("unsupported_layer", r"Layer 'relu' \(GRU\): py5ml cannot read 'GRU' layers",
         lambda d: graph_layer(d, "relu").__setitem__("class_name", "GRU"), base=conv)
    case("gigapixel_input", r"the model's input has shape \[18258, 18258, 3\], 1,000,063,692 values per example; py5ml reads models with at most",
         lambda d: graph_layer(d, "image")["config"].__setitem__("batch_input_shape", [None, 18258, 18258, 3]), base=conv)
    case("duplicate_layer_name", r"Two layers are named 'd1'", lambda d: layers(d)[1]["config"].__setitem__("name", "d1"))
    case("duplicate_graph_name", r"Two layers are named 'bn'", lambda d: graph_layer(d, "relu").__setitem__("name", "bn"), base=conv)
    case("duplicate_labels", r"names \['yes'\] more than once", lambda d: d["userDefinedMetadata"]["py5ml"].__setitem__("labels", ["yes", "yes"]))
    case("conv_bad_strides", r"Layer 'c' \(Conv2D\): strides must be a whole number or a pair", lambda d: graph_layer(d, "c")["config"].__setitem__("strides", [2, "2"]), base=conv)
    case("add_shape_mismatch", r"Layer 'add' \(Add\): its inputs must have the same shape",
         lambda d: graph_layer(d, "add")["inbound_nodes"][0].__setitem__(1, ["image", 0, 0, {}]), base=conv)
    case("shared_layer", r"Layer 'add' uses \['bn', 1, 0, \{\}\]: a layer called more than once", lambda d: graph_layer(d, "add")["inbound_nodes"][0].__setitem__(1, ["bn", 1, 0, {}]), base=conv)
    case("shared_layer_called_twice", r"Layer 'relu' is called 2 times \(a shared layer\)",
         lambda d: graph_layer(d, "relu")["inbound_nodes"].append([["c", 0, 0, {}]]), base=conv)
    case("two_outputs", r"one input and one output", lambda d: d["modelTopology"]["config"]["output_layers"].append(["bn", 0, 0]), base=conv)
    case("channels_first", r"data_format must be one of 'channels_last'", lambda d: graph_layer(d, "c")["config"].__setitem__("data_format", "channels_first"), base=conv)
    case("tm_duplicate_labels", r"metadata.json's labels names \['cat'\] more than once", lambda d: d.pop("userDefinedMetadata"),
         extra=lambda f: (f / "metadata.json").write_text('{"tmVersion": "2.4.11", "labels": ["cat", "cat"], "imageSize": 224}'))


if __name__ == "__main__":
    make_all()
    print(sorted(p.name for p in HERE.iterdir() if p.is_dir()))
