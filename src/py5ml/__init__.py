"""py5ml: friendly machine learning for py5 sketches.

Layout: one subpackage per part of the architecture, each holding private modules; this file
re-exports the public names.

- ``clock/``: the frame clock. ``start_task``, ``next_frame``, the frame budget and gate, py5 hooks.
- ``training/``: ``fit`` with Keras callbacks, losses and optimizers, pacing, background batches.
- ``network/``: ``NeuralNetwork`` (ml5.neuralNetwork) and its training data.
- ``data/``: the color data set and its offline fallback.
- ``formats/``: TensorFlow.js Layers files, read safely, written atomically.
- ``vision/``: feature extractor, backbones, transfer learning, capture sources.
- ``sketch/``: ``LossGraph``, small buttons and sliders, the flags every sketch shares.
"""

from ._errors import BackboneError, DataError, ModelFileError, Py5mlError, TrainingError
from .clock._frame_budget import FrameBudget
from .clock._scheduler import FrameScheduler, Task, get_scheduler, next_frame, start_task
from .data._color_data import COLOR_LABELS, ColorData, load_color_data
from .formats._model_files import LoadedModel, check_input_shape, load_model, save_model
from .network._neural_network import NeuralNetwork
from .sketch._loss_graph import LossGraph
from .sketch._sketch_args import finish_after, parse_sketch_args
from .sketch._ui import UI, Button, Slider
from .training._callbacks import Callback, History, LambdaCallback
from .training._fit import fit
from .vision._capture import Capture, list_cameras
from .vision._feature_extractor import FeatureExtractor, feature_extractor
from .vision._synthetic_scene import SyntheticScene
from .vision._transfer_model import TransferModel

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
