"""The TF.js Layers interpreter: every layer it reads computes what real TF.js 4.22 computes.

tests/js/make_layer_zoo.js builds five small models with TF.js's own layers API (conv, depthwise,
separable, batch norm, pooling, merges, nesting...), gives them random weights, saves them and
writes TF.js's outputs. py5ml loads each file and must give the same numbers. The rest of the file
pins TensorFlow's conventions by hand: where "same" padding goes, what pooling counts, and that
loading never touches torch's random state.
"""

import json

import numpy as np
import pytest
import torch
from torch import nn

from py5ml import ModelFileError, load_model
from py5ml.formats._tfjs_layers import SUPPORTED
from py5ml.formats._tfjs_model import plan_model
from py5ml.formats._tfjs_modules import Graph
from py5ml.formats._tfjs_topology import flatten_topology
from tfjs_node import JS, run_node

ZOO = ["conv_same", "depthwise", "merges", "nested", "pooling"]
COMMITTED = JS / "fixtures" / "layer_zoo"


def zoo_case(folder):
    shapes = json.loads((folder / "shapes.json").read_text())
    x = np.fromfile(folder / "inputs.bin", "<f4").reshape(shapes["input"])
    return x, np.fromfile(folder / "expected.bin", "<f4").reshape(shapes["output"])


def predict(model, x):
    with torch.inference_mode():
        return model(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy()


@pytest.fixture(scope="module")
def fresh_zoo(tmp_path_factory):
    out = tmp_path_factory.mktemp("zoo")
    run_node("make_layer_zoo.js", out)
    return out


@pytest.mark.parametrize("case", ZOO)
def test_every_layer_computes_what_tfjs_computes(fresh_zoo, case):
    x, expected = zoo_case(fresh_zoo / case)
    loaded = load_model(fresh_zoo / case / "model.json")
    assert np.abs(predict(loaded.model, x) - expected).max() <= 1e-5
    assert loaded.input_shape == x.shape[1:]


@pytest.mark.parametrize("case", ZOO)
def test_committed_zoo_still_matches(case):
    x, expected = zoo_case(COMMITTED / case)
    assert np.abs(predict(load_model(COMMITTED / case).model, x) - expected).max() <= 1e-5


def test_the_zoo_uses_every_supported_layer():
    used = set()
    for case in ZOO:
        topology = json.loads((COMMITTED / case / "model.json").read_text())["modelTopology"]
        used |= {node.class_name for node in flatten_topology(topology).nodes}
    assert used == set(SUPPORTED.split(", "))


def test_chains_are_plain_sequentials_and_branches_a_graph():
    chain = load_model(COMMITTED / "nested").model
    assert isinstance(chain, nn.Sequential) and not chain.training
    assert [type(m).__name__ for m in chain] == ["Linear", "SELU", "Identity", "Softsign", "Flatten", "Linear", "Softmax"]
    assert isinstance(load_model(COMMITTED / "merges").model, Graph)


def layers_doc(layers, weights):
    doc = {"modelTopology": {"class_name": "Sequential", "config": {"layers": layers}},
           "weightsManifest": [{"paths": ["w.bin"], "weights": [
               {"name": name, "shape": list(array.shape), "dtype": "float32"} for name, array in weights]}]}
    return doc, b"".join(np.asarray(array, "<f4").tobytes() for _, array in weights)


def write(tmp_path, layers, weights):
    doc, data = layers_doc(layers, weights)
    (tmp_path / "w.bin").write_bytes(data)
    (tmp_path / "model.json").write_text(json.dumps(doc))
    return load_model(tmp_path)


def test_same_padding_puts_the_extra_pixel_bottom_right(tmp_path):
    kernel = np.ones((2, 2, 1, 1), np.float32)
    conv = {"class_name": "Conv2D", "config": {"name": "c", "filters": 1, "kernel_size": [2, 2], "strides": [2, 2],
                                               "padding": "same", "use_bias": False, "batch_input_shape": [None, 3, 3, 1]}}
    loaded = write(tmp_path, [conv], [("c/kernel", kernel)])
    image = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
    # windows [1 2; 4 5], [3 _; 6 _], [7 8; _ _], [9 _; _ _]: the padding is after, never before
    assert predict(loaded.model, image)[0, :, :, 0].tolist() == [[12, 9], [15, 9]]


def test_average_pooling_does_not_count_the_padding(tmp_path):
    pool = {"class_name": "AveragePooling2D", "config": {"name": "p", "pool_size": [3, 3], "strides": [2, 2],
                                                         "padding": "same", "batch_input_shape": [None, 5, 4, 2]}}
    loaded = load_model(_weightless(tmp_path, [pool]))
    assert np.allclose(predict(loaded.model, np.full((1, 5, 4, 2), 3.0)), 3.0)
    maxpool = dict(pool, class_name="MaxPooling2D")
    assert np.allclose(predict(load_model(_weightless(tmp_path, [maxpool])).model, np.full((1, 5, 4, 2), -3.0)), -3.0)


def _weightless(tmp_path, layers):
    (tmp_path / "w.bin").write_bytes(b"")
    (tmp_path / "model.json").write_text(json.dumps({"modelTopology": {"class_name": "Sequential", "config": {"layers": layers}},
                                                     "weightsManifest": [{"paths": ["w.bin"], "weights": []}]}))
    return tmp_path / "model.json"


def test_depthwise_multiplier_keeps_tf_channel_order(tmp_path):
    kernel = np.zeros((1, 1, 2, 3), np.float32)
    kernel[0, 0, 0] = [1, 2, 3]  # input channel 0 -> outputs 0, 1, 2
    kernel[0, 0, 1] = [10, 20, 30]  # input channel 1 -> outputs 3, 4, 5
    layer = {"class_name": "DepthwiseConv2D", "config": {"name": "d", "kernel_size": [1, 1], "depth_multiplier": 3,
                                                         "use_bias": False, "batch_input_shape": [None, 1, 1, 2]}}
    loaded = write(tmp_path, [layer], [("d/depthwise_kernel", kernel)])
    assert predict(loaded.model, np.array([[[[1.0, 2.0]]]]))[0, 0, 0].tolist() == [1, 2, 3, 20, 40, 60]


def test_loading_never_touches_torchs_random_state(tmp_path):
    before = torch.random.get_rng_state()
    load_model(COMMITTED / "depthwise")
    load_model(COMMITTED / "merges")
    with pytest.raises(ModelFileError):
        load_model(JS.parent / "bad_models" / "conv_kernel_shape_mismatch")
    assert torch.equal(torch.random.get_rng_state(), before)


def nested_topology(depth):
    layer = {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [None, 3]}}
    for level in range(depth):
        layer = {"class_name": "Sequential", "config": {"name": f"s{level}", "layers": [layer]}}
    return layer


def test_models_nested_deep_are_read_and_absurd_depths_refused():
    plan = plan_model(nested_topology(40))
    assert (plan.input_shape, plan.output_shape) == ((3,), (2,))
    with pytest.raises(ModelFileError, match="nested more than 64 deep"):
        plan_model(nested_topology(70))


def test_softmax_over_another_axis_is_refused_like_tfjs():
    layers = [{"class_name": "Reshape", "config": {"name": "r", "target_shape": [2, 3], "batch_input_shape": [None, 6]}},
              {"class_name": "Softmax", "config": {"name": "s", "axis": 1}}]
    with pytest.raises(ModelFileError, match=r"Layer 's' \(Softmax\): TF.js computes softmax over the last axis only"):
        plan_model({"class_name": "Sequential", "config": {"layers": layers}})
