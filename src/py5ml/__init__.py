"""py5ml: friendly machine learning for py5 sketches.

Layout: one subpackage per part of the architecture, each holding private modules; this file
re-exports the public names. Names load on first use (PEP 562), so ``import py5ml`` is quick
and does not import torch: a sketch's window can open while torch loads.

- ``clock/``: the frame clock. ``start_task``, ``next_frame``, the frame budget and gate, py5 hooks.
- ``training/``: ``fit`` with Keras callbacks, losses and optimizers, pacing, background batches.
- ``network/``: ``NeuralNetwork`` (ml5.neuralNetwork) and its training data.
- ``data/``: the color data set and its offline fallback.
- ``formats/``: TensorFlow.js Layers files (a TF.js interpreter), ml5 and Teachable Machine files.
- ``vision/``: feature extractor, image classifier, backbones, transfer learning, capture sources.
- ``sketch/``: ``LossGraph``, small buttons and sliders, the flags every sketch shares.
- ``live/``: live coding: ``keep`` and ``latest``, so models and training outlive each save.
"""

import importlib

from ._errors import ArgumentError, BackboneError, DataError, ModelFileError, Py5mlError, TrainingError
from .clock._jvm_options import request_quick_jit

request_quick_jit()  # before py5 starts its JVM (import py5ml first): frames hold while training

__version__ = "0.1.0"

# Where each public name lives, by group. The order here is the order of ``__all__``.
_EXPORTS = {
    # frame clock
    "clock._scheduler": ["start_task", "next_frame", "Task", "get_scheduler", "FrameScheduler"],
    "clock._frame_budget": ["FrameBudget"],
    "_preload": ["preload", "Preload"],
    # training
    "training._fit": ["fit"],
    "training._callbacks": ["Callback", "LambdaCallback", "History"],
    "sketch._loss_graph": ["LossGraph"],
    "network._neural_network": ["NeuralNetwork"],
    # transfer learning
    "vision._feature_extractor": ["feature_extractor", "FeatureExtractor"],
    "vision._image_classifier": ["image_classifier", "ImageClassifier"],
    "vision._transfer_model": ["TransferModel"],
    "vision._knn": ["KNNClassifier"],
    "vision._capture": ["Capture", "list_cameras"],
    "vision._synthetic_scene": ["SyntheticScene"],
    "vision._safetensors": ["save_safetensors", "load_safetensors"],
    # model files
    "formats._model_files": ["save_model", "load_model", "LoadedModel", "check_input_shape"],
    # data
    "data._color_data": ["COLOR_LABELS", "ColorData", "load_color_data"],
    "data._data_files": ["read_data", "write_data", "save_color_data"],
    # sketch helpers
    "sketch._ui": ["UI", "Button", "Slider"],
    "sketch._sketch_args": ["parse_sketch_args", "finish_after"],
    "live._keep": ["keep", "forget", "is_live_coding"], "live._latest": ["latest"],
}
_ERRORS = ["Py5mlError", "DataError", "ModelFileError", "TrainingError", "BackboneError", "ArgumentError"]
_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [*_HOME, *_ERRORS]


def __getattr__(name):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'py5ml' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__():
    return sorted({*globals(), *__all__})
