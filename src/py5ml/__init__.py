"""py5ml: friendly machine learning for py5 sketches.

Layout: every capability lives in a private module and is re-exported here.

- ``_scheduler`` (+ ``_frame_budget``, ``_py5_hooks``): coroutines on the sketch's frame clock.
- ``_fit`` (+ ``_callbacks``, ``_losses``, ``_pacing``): Keras-style async ``fit``.
- ``_loss_graph``: ``LossGraph``, a live training plot that is also a callback.
- ``_neural_network`` (+ ``_training_data``): ``NeuralNetwork``, in the spirit of ml5.
- ``_model_files``: TensorFlow.js Layers files (``model.json`` + ``model.weights.bin``).
- ``_color_data``: the Coding Train color data set and its offline fallback.
- ``_ui``, ``_sketch_args``: small buttons and sliders, and the flags every sketch shares.
- ``_feature_extractor`` (+ ``_backbones``, ``_efficientnet_lite``, ``_transfer_model``, ...):
  ml5's featureExtractor: a pretrained backbone plus a small head you train on your own labels.
- ``_capture`` (+ ``_capture_sources``, ``_synthetic_scene``): camera, video, image folders and a
  synthetic scene, drawn cheaply as py5 images.
"""

from ._capture import Capture, list_cameras
from ._callbacks import Callback, History, LambdaCallback
from ._color_data import COLOR_LABELS, ColorData, load_color_data
from ._errors import BackboneError, DataError, ModelFileError, Py5mlError, TrainingError
from ._feature_extractor import FeatureExtractor, feature_extractor
from ._fit import fit
from ._frame_budget import FrameBudget
from ._loss_graph import LossGraph
from ._model_files import LoadedModel, check_input_shape, load_model, save_model
from ._neural_network import NeuralNetwork
from ._scheduler import FrameScheduler, Task, get_scheduler, next_frame, start_task
from ._synthetic_scene import SyntheticScene
from ._transfer_model import TransferModel
from ._sketch_args import finish_after, parse_sketch_args
from ._ui import UI, Button, Slider

__version__ = "0.1.0"

__all__ = [
    # frame clock
    "start_task",
    "next_frame",
    "Task",
    "get_scheduler",
    "FrameScheduler",
    "FrameBudget",
    # training
    "fit",
    "Callback",
    "LambdaCallback",
    "History",
    "LossGraph",
    "NeuralNetwork",
    # transfer learning
    "feature_extractor",
    "FeatureExtractor",
    "TransferModel",
    "Capture",
    "list_cameras",
    "SyntheticScene",
    # model files
    "save_model",
    "load_model",
    "LoadedModel",
    "check_input_shape",
    # data
    "COLOR_LABELS",
    "ColorData",
    "load_color_data",
    # sketch helpers
    "UI",
    "Button",
    "Slider",
    "parse_sketch_args",
    "finish_after",
    # errors
    "Py5mlError",
    "DataError",
    "ModelFileError",
    "TrainingError",
    "BackboneError",
]
