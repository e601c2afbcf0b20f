"""``NeuralNetwork``: a small dense network you fill with examples, in the spirit of ml5.

Like ``ml5.neuralNetwork``: say what the task is, ``add_data`` one example at a time,
``normalize_data``, ``train`` (it runs on the frame clock, so the sketch keeps animating), then
``classify`` or ``predict``. ``save`` writes TensorFlow.js files that load in the browser too.
"""

import torch

from .._errors import DataError, ModelFileError
from ..training._fit import fit
from ..clock._scheduler import start_task
from ..sketch._debug_panel import debug_callbacks
from ._network_data import ml5_example, save_examples, start_loading
from ._training_data import TrainingData

__all__ = ["NeuralNetwork"]

DEFAULTS = {
    "task": "classification",
    "hidden_units": 16,
    "activation": "sigmoid",
    "optimizer": "sgd",
    "learning_rate": 0.25,
    "epochs": 10,
    "batch_size": 32,
    "validation_split": 0.1,
}
ACTIVATIONS = {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}


class NeuralNetwork:
    """A dense network for classification or regression, trained while the sketch draws.

    Example (the color classifier)::

        import py5, py5ml

        nn = py5ml.NeuralNetwork(inputs=["r", "g", "b"], outputs=list(py5ml.COLOR_LABELS))

        def setup():
            py5.size(400, 200)
            for (r, g, b), label in zip(colors.rgb, colors.labels):
                nn.add_data([r, g, b], label)
            nn.normalize_data(0, 255)
            nn.train(epochs=10, when_done=lambda history: print("trained!"))

        def draw():
            py5.background(200, 40, 40)
            if nn.is_trained:
                py5.text(nn.classify([200, 40, 40])[0]["label"], 20, 100)

    Args:
        task: ``"classification"`` or ``"regression"``.
        inputs: the number of inputs, or their names (``["r", "g", "b"]``).
        outputs: classification: the labels in order (or None to learn them from the data);
            regression: the number of outputs or their names.
        hidden_units: units in the hidden layer (an int), or a list for several layers.
        activation: the hidden layers' activation: sigmoid, relu or tanh.
        learning_rate, optimizer: how it learns; the lesson uses SGD at 0.25.
        seed: make the starting weights repeatable.
    """

    def __init__(self, *, task="classification", inputs=None, outputs=None, hidden_units=None,
                 activation=None, learning_rate=None, optimizer=None, seed=None, debug=False,
                 data_url=None, data_loaded=None):
        if task not in ("classification", "regression"):
            raise DataError(f'task must be "classification" or "regression", got {task!r}.')
        self.options = {**DEFAULTS, **_given(hidden_units=hidden_units, activation=activation,
                                             learning_rate=learning_rate, optimizer=optimizer), "task": task}
        if self.options["activation"] not in ACTIVATIONS:
            raise DataError(f"Unknown activation {activation!r}: choose {', '.join(ACTIVATIONS)}.")
        self.data = TrainingData(task, inputs, outputs)
        self.seed = seed
        self.model = None
        self.history = None
        self.task_handle = None
        self.debug, self.data_url, self.raw_data = debug, data_url, []  # ml5 options; raw_data: what save_data writes
        self.load_task = None if data_url is None else self.load_data(data_url, data_loaded, inputs=inputs, outputs=outputs)

    @property
    def task(self) -> str:
        return self.options["task"]

    @property
    def labels(self) -> list:
        return list(self.data.labels)

    @property
    def is_trained(self) -> bool:
        return self.model is not None and not self.is_training

    @property
    def is_training(self) -> bool:
        return self.task_handle is not None and self.task_handle.is_running

    # -- data --------------------------------------------------------------------------------
    def add_data(self, inputs, target) -> None:
        """Add one example: ``add_data([r, g, b], "red-ish")`` or ``add_data({"r": 255, ...}, {"label": "red-ish"})``."""
        self.data.add(inputs, target)
        self.raw_data.append(ml5_example(inputs, target, self.data.input_names, self.data.output_names or None))

    def load_data(self, source, callback=None, *, inputs=None, outputs=None):
        """Add the examples in a JSON or CSV file or URL, then call ``callback`` (see ``_network_data``)."""
        return start_loading(self, source, callback, inputs=inputs, outputs=outputs)

    def save_data(self, name=None, directory="."):
        """Write every example added so far to ``directory/name.json`` in ml5's format."""
        return save_examples(self.raw_data, name, directory)

    def normalize_data(self, low=None, high=None) -> None:
        """Scale every input to 0–1, from the data's own min/max or from ``low``–``high`` (e.g. 0, 255)."""
        self.data.normalize(low, high)

    # -- training ------------------------------------------------------------------------------
    def train(self, *, epochs=None, batch_size=None, validation_split=None, shuffle=True,
              while_training=None, when_done=None, callbacks=(), yield_every="auto"):
        """Start training on the frame clock and return its ``Task``.

        ``while_training(epoch, logs)`` is called after every epoch; ``when_done(history)`` once
        at the end. For a live plot pass ``callbacks=[py5ml.LossGraph(...)]``.
        """
        xs, ys = self.data.arrays()  # raises DataError now, before anything changes
        model = self._build(xs.shape[1], ys)
        settings = self._fit_settings(epochs, batch_size, validation_split, shuffle, callbacks, while_training, yield_every)
        settings["callbacks"] += debug_callbacks(self, xs, ys, self.labels if self.task == "classification" else None)
        previous, self.model = self.model, model  # classify() follows the new model as it learns
        self.task_handle = start_task(self._train(model, previous, xs, ys, settings, when_done),
                                      name="NeuralNetwork.train")
        return self.task_handle

    async def _train(self, model, previous, xs, ys, settings, when_done):
        try:
            self.history = await fit(model, xs, ys, **settings)
        except BaseException:
            self.model = previous  # a failed run (NaN loss, a callback error) leaves the last good model
            raise
        if when_done is not None:
            when_done(self.history)
        return self.history

    def _fit_settings(self, epochs, batch_size, validation_split, shuffle, callbacks, while_training, yield_every):
        from ..training._callbacks import LambdaCallback

        o = self.options
        extra = [LambdaCallback(on_epoch_end=while_training)] if while_training else []
        return {
            "epochs": epochs or o["epochs"], "batch_size": batch_size or o["batch_size"],
            "validation_split": o["validation_split"] if validation_split is None else validation_split,
            "shuffle": shuffle, "optimizer": o["optimizer"], "learning_rate": o["learning_rate"],
            "loss": "categorical_crossentropy" if self.task == "classification" else "mean_squared_error",
            "callbacks": [*callbacks, *extra], "yield_every": yield_every,
        }

    def _build(self, n_inputs, ys):
        if self.seed is not None:
            torch.manual_seed(self.seed)
        hidden = self.options["hidden_units"]
        sizes = [n_inputs, *(hidden if isinstance(hidden, (list, tuple)) else [hidden])]
        layers = []
        for a, b in zip(sizes, sizes[1:]):
            layers += [torch.nn.Linear(a, b), ACTIVATIONS[self.options["activation"]]()]
        layers.append(torch.nn.Linear(sizes[-1], ys.shape[1]))
        if self.task == "classification":
            layers.append(torch.nn.Softmax(dim=1))
        model = torch.nn.Sequential(*layers)
        model.apply(_glorot)  # TF.js's default initializers, so training matches the lesson
        return model

    def stop_training(self) -> None:
        """Finish after the current batch; ``when_done`` still runs."""
        if self.model is not None:
            self.model.stop_training = True

    def pause_training(self) -> None:
        if self.task_handle is not None:
            self.task_handle.pause()

    def resume_training(self) -> None:
        if self.task_handle is not None:
            self.task_handle.resume()

    # -- using it --------------------------------------------------------------------------
    def classify(self, inputs, callback=None) -> list:
        """``[{"label": "red-ish", "confidence": 0.91}, ...]``, most confident first."""
        if self.task != "classification":
            raise DataError("classify() is for classification: this network does regression, use predict().")
        probs = self._forward(inputs)
        results = sorted(
            ({"label": label, "confidence": float(p)} for label, p in zip(self.data.labels, probs)),
            key=lambda r: r["confidence"], reverse=True,
        )
        if callback is not None:
            callback(results)
        return results

    def predict(self, inputs, callback=None) -> list:
        """Regression: ``[{"value": 0.42, "label": "y"}, ...]``, one per output."""
        if self.task != "regression":
            raise DataError("predict() is for regression: this network classifies, use classify().")
        values = self._forward(inputs)
        results = [{"value": float(v), "label": name} for v, name in zip(values, self.data.output_names)]
        if callback is not None:
            callback(results)
        return results

    def _forward(self, inputs):
        if self.model is None:
            raise DataError("This network has not been trained or loaded yet: call train() or load() first.")
        row = self.data.encode_inputs(inputs)
        with torch.no_grad():
            return self.model(torch.from_numpy(row[None, :]))[0].numpy()

    # -- files -------------------------------------------------------------------------------
    def save(self, directory=".", name="model"):
        """Write ``directory/model.json`` + ``directory/model.weights.bin`` (TF.js Layers format)."""
        from ..formats._model_files import save_model

        if self.model is None:
            raise DataError("Nothing to save yet: train() or load() the network first.")
        metadata = {**self.data.metadata(), "task": self.task, "hidden_units": self.options["hidden_units"],
                    "activation": self.options["activation"]}
        return save_model(self.model, directory, name, input_shape=(self.data.input_count,), metadata=metadata)

    def load(self, path):
        """Load ``model.json`` (the weights file is found beside it). A failed load changes nothing."""
        from ..formats._model_files import load_model

        loaded = load_model(path)
        meta = loaded.metadata or {}
        task = meta.get("task", "classification" if loaded.labels else "regression")
        data = TrainingData.from_metadata(task, meta, loaded.labels, loaded.input_shape)
        _check_outputs(loaded.model, data, path)
        self.model, self.data, self.options["task"] = loaded.model, data, task
        self.task_handle = None
        return self


def _check_outputs(model, data, path):
    with torch.no_grad():
        out = model(torch.zeros(1, data.input_count))
    if out.shape[1] != data.output_count:
        raise ModelFileError(
            f"{path}: the model has {out.shape[1]} outputs but its metadata names {data.output_count}. "
            "Save it again from py5ml, or fix the labels in model.json."
        )


def _glorot(module):
    if isinstance(module, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(module.weight)
        torch.nn.init.zeros_(module.bias)


def _given(**options):
    return {k: v for k, v in options.items() if v is not None}
