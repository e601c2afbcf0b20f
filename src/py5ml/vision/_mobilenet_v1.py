"""MobileNet v1 (alpha 0.25, 224 px) from TF.js weights: the backbone ml5 0.x's featureExtractor uses.

ml5 0.x loads ``mobilenet_v1_0.25_224/model.json`` from Google's storage and cuts it at
``conv_pw_13_relu``, a 7×7×256 feature map; every ml5 0.x featureExtractor head reads that map.
py5ml reads the same files: online from the same URL (downloaded once into torch's cache folder),
or offline from a folder that holds ``model.json`` and its 55 weight shards (``weights=``).

Some copies of those files carry only the weights (``"modelTopology": null``), so py5ml writes the
layers itself, as Keras' ``MobileNet(alpha=0.25)`` defines them: a 3×3 convolution, then 13 blocks
of depthwise 3×3 + pointwise 1×1 convolutions, each followed by batch normalisation and ReLU6,
"same" padding throughout; for ImageNet, average pooling and a 1×1 convolution to 1000 classes.

Example:
    >>> topology = mobilenet_v1_topology(classifier=False)
    >>> topology["config"]["output_layers"]
    [['conv_pw_13_relu', 0, 0]]
"""

from __future__ import annotations

ML5_URL = "https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json"
ALPHA = 0.25
FEATURE_LAYER = "conv_pw_13_relu"
# (pointwise filters at alpha 1, stride) for blocks 1..13
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def _layer(cls: str, name: str, inbound, **config) -> dict:
    return {"class_name": cls, "name": name, "config": {"name": name, "trainable": False, **config},
            "inbound_nodes": [[[inbound, 0, 0, {}]]] if inbound else []}


def _conv_bn_relu(layers: list, inbound: str, name: str, bn: str, cls: str, **config) -> str:
    layers.append(_layer(cls, name, inbound, padding="same", use_bias=False, data_format="channels_last", **config))
    layers.append(_layer("BatchNormalization", f"{bn}_bn", name, axis=-1, epsilon=0.001, center=True, scale=True))
    layers.append(_layer("Activation", f"{bn}_relu", f"{bn}_bn", activation="relu6"))
    return f"{bn}_relu"


def _classifier(layers: list, inbound: str, channels: int) -> str:
    layers.append(_layer("GlobalAveragePooling2D", "global_average_pooling2d_1", inbound, data_format="channels_last"))
    layers.append(_layer("Reshape", "reshape_1", "global_average_pooling2d_1", target_shape=[1, 1, channels]))
    layers.append(_layer("Dropout", "dropout", "reshape_1", rate=0.001))
    layers.append(_layer("Conv2D", "conv_preds", "dropout", filters=1000, kernel_size=[1, 1], strides=[1, 1],
                         padding="same", use_bias=True, data_format="channels_last"))
    layers.append(_layer("Activation", "act_softmax", "conv_preds", activation="softmax"))
    layers.append(_layer("Reshape", "reshape_2", "act_softmax", target_shape=[1000]))
    return "reshape_2"


def mobilenet_v1_topology(alpha: float = ALPHA, *, classifier: bool = True) -> dict:
    """Keras' MobileNet v1 as a TF.js ``modelTopology`` (a functional Model), to the logits or the features."""
    layers = [_layer("InputLayer", "input_1", None, batch_input_shape=[None, 224, 224, 3], dtype="float32")]
    x = _conv_bn_relu(layers, "input_1", "conv1", "conv1", "Conv2D", filters=int(32 * alpha),
                      kernel_size=[3, 3], strides=[2, 2])
    for block, (filters, stride) in enumerate(BLOCKS, start=1):
        x = _conv_bn_relu(layers, x, f"conv_dw_{block}", f"conv_dw_{block}", "DepthwiseConv2D",
                          kernel_size=[3, 3], strides=[stride, stride], depth_multiplier=1)
        x = _conv_bn_relu(layers, x, f"conv_pw_{block}", f"conv_pw_{block}", "Conv2D", filters=int(filters * alpha),
                          kernel_size=[1, 1], strides=[1, 1])
    if classifier:
        x = _classifier(layers, x, int(1024 * alpha))
    return {"class_name": "Model", "keras_version": "2.1.4", "backend": "tensorflow",
            "config": {"name": f"mobilenet_{alpha:.2f}_224", "layers": layers,
                       "input_layers": [["input_1", 0, 0]], "output_layers": [[x, 0, 0]]}}


def features_topology(alpha: float = ALPHA) -> dict:
    """Up to ``conv_pw_13_relu`` only: the 7×7×(1024 alpha) map ml5's featureExtractor reads."""
    return mobilenet_v1_topology(alpha, classifier=False)
