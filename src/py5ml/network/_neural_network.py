"""``NeuralNetwork``: a small dense network you fill with examples, as ``ml5.neuralNetwork``.

Say what the task is, ``add_data`` one example at a time, ``normalize_data``, ``train`` (it runs on
the frame clock, so the sketch keeps animating), then ``classify`` or ``predict``. ``save`` writes
the files ml5 writes, and ``load`` reads ml5's.
"""

from __future__ import annotations

import numpy as np
import torch

from .._checks import quote
from .._errors import DataError
from ..clock._deliver_later import deliver_later
from ..clock._scheduler import start_task
from ..clock._user_callbacks import call_back
from ..training._fit import fit
from ..sketch._debug_panel import debug_callbacks
from ._layers import build_model, layer_specs
from ._network_data import save_examples, start_loading
from ._network_files import load_network, save_network
from ._options import network_options
from ._train_args import train_settings
from ._training_data import TrainingData
from ..live._training import training_to_continue

__all__ = ["NeuralNetwork"]


class NeuralNetwork:
    """A dense network for classification or regression, trained while the sketch draws.

    Example (ml5's simple classification: click to add points, press t to train)::

        import py5, py5ml

        nn = py5ml.NeuralNetwork({"inputs": ["x", "y"], "outputs": ["label"], "task": "classification"})
        label = "A"

        def setup():
            py5.size(400, 400)

        def draw():
            if nn.is_trained:
                results = nn.classify_sync([py5.mouse_x, py5.mouse_y])
                py5.background(0)
                py5.text(results[0]["label"], 20, 40)

        def mouse_pressed():
            nn.add_data([py5.mouse_x, py5.mouse_y], [label])

        def key_pressed():
            global label
            if py5.key == "t":
                nn.normalize_data()
                nn.train({"epochs": 64}, finished_training)
            else:
                label = py5.key.upper()

        def finished_training():
            print("trained!")

        py5.run_sketch()

    Options come as keywords or as one ml5-style dict (``NeuralNetwork(options)``), in snake_case;
    ml5's camelCase names are refused with the py5ml name (``learningRate`` → ``learning_rate``).
    Unset options take ml5 0.x's defaults for the task (see ``_options``).

    Args:
        task: ``"classification"`` (default) or ``"regression"``.
        inputs: their number, or their names (``["r", "g", "b"]``); else read from the first example.
        outputs: classification: ``["label"]`` names the label column (ml5), a longer list gives the
            labels themselves in order, None learns them from the data. Regression: the number of
            outputs or their names.
        hidden_units: units in the hidden layer (16), or a list for several layers.
        activation: the hidden layers' activation (relu).
        layers: ml5's custom layers, ``[{"type": "dense", "units": 16, "activation": "relu"}, ...]``.
        learning_rate, optimizer: 0.2 with sgd (classification) or adam (regression).
        seed: make the starting weights repeatable.
        debug: True to show the training panel (``nn.debug``); data_url: examples to load (``nn.data_url``).
    """

    def __init__(self, options=None, data_loaded=None, /, **keywords):
        if options is not None and not isinstance(options, dict):
            raise DataError(f"Give NeuralNetwork its options as a dict or as keywords, like "
                            f"NeuralNetwork(task='regression'), not {quote(options)}.")
        data_loaded = keywords.pop("data_loaded", data_loaded)  # ml5: neuralNetwork(options, dataLoaded)
        clash = set(options or {}) & set(keywords)
        if clash:
            raise DataError(f"NeuralNetwork got {', '.join(sorted(clash))} twice: in the options dict and as a keyword.")
        self.options = network_options({**(options or {}), **keywords})
        self.data = TrainingData(self.task, self.options["inputs"], self.options["outputs"])
        self.debug, self.data_url = self.options["debug"], self.options.get("data_url")
        self.model = self.encoding = self.history = self.task_handle = None
        self._run = 0  # which training (or load) owns self.model now
        self._finished_run = 0  # the last training that finished: when_done sees it trained
        self._previous = (None, None)  # the model to give back if the running training fails
        self.load_task = None if self.data_url is None else start_loading(self, self.data_url, data_loaded, check_now=False)

    @property
    def task(self) -> str:
        return self.options["task"]

    @property
    def seed(self):
        return self.options.get("seed")

    @property
    def labels(self) -> list:
        return self.encoding.labels if self.encoding is not None else list(self.data.labels)

    @property
    def is_trained(self) -> bool:
        return self.model is not None and not self.is_training

    @property
    def is_training(self) -> bool:
        return (self.task_handle is not None and self.task_handle.is_running
                and self._finished_run != self._run)

    # -- data --------------------------------------------------------------------------------
    def add_data(self, inputs, target) -> None:
        """Add one example: ``add_data([r, g, b], "red-ish")``, ``add_data({"x": 1, "y": 2}, {"label": "A"})``,
        ``add_data([x], ["A"])``; regression: ``add_data([x], [y])`` or ``add_data({"x": 1}, {"y": 3})``."""
        self.data.add(inputs, target)

    def load_data(self, source, callback=None, *, inputs=None, outputs=None):
        """Add the examples in a JSON or CSV file or URL, then ``callback()`` on a later frame (``_network_data``)."""
        return start_loading(self, source, callback, inputs=inputs, outputs=outputs)

    def save_data(self, name=None, directory="."):
        """Write every example added so far to ``directory/name.json``, in ml5's ``saveData`` format."""
        return save_examples(self.data, name, directory)

    def normalize_data(self, low=None, high=None) -> None:
        """Scale numbers to 0–1 for training, as ml5: inputs and regression outputs by the data's own
        min/max, and predictions scaled back. ``normalize_data(0, 255)`` gives the inputs' range instead."""
        self.data.normalize(low, high)

    # -- training ------------------------------------------------------------------------------
    def train(self, *args, epochs=None, batch_size=None, validation_split=None, shuffle=None,
              while_training=None, when_done=None, callbacks=(), yield_every=None):
        """Start training on the frame clock and return its ``Task``.

        ml5's forms work: ``train(options, while_training, when_done)``, ``train(options, when_done)``,
        ``train(while_training, when_done)``, ``train(when_done)``, and so do keywords. ``options`` is
        ``{"epochs": 10, "batch_size": 32, "validation_split": 0.1}`` (the defaults). Callbacks go in
        the shape they are written: ``while_training(epoch, logs)`` after every epoch, and
        ``when_done()``, ``when_done(history)`` or ``when_done(error, history)`` once at the end.
        Every setting is checked now; nothing changes when one is refused.
        """
        s = train_settings(args, dict(epochs=epochs, batch_size=batch_size, validation_split=validation_split,
                                      shuffle=shuffle, while_training=while_training, when_done=when_done,
                                      callbacks=callbacks, yield_every=yield_every))
        encoding = self.data.encoding()  # raises DataError now, before anything changes
        ongoing = training_to_continue(self, self._training_summary(s, encoding))
        if ongoing is not None:  # live coding: setup() ran again after a save; keep training
            return ongoing
        xs, ys = self.data.arrays(encoding)
        s["callbacks"] = [*s["callbacks"], *debug_callbacks(self, xs, ys, encoding.labels if self.task == "classification" else None)]
        model = build_model(self.options, encoding)
        # the last good model: a run replaced mid-way is not one (its own previous is)
        previous = self._previous if self.is_training else (self.model, self.encoding)
        self._stop_running_training()
        self._previous = previous
        self._run += 1
        self.model, self.encoding = model, encoding  # classify() follows the new model as it learns
        self.task_handle = start_task(self._train(self._run, previous, xs, ys, s), name="NeuralNetwork.train")
        return self.task_handle

    async def _train(self, run, previous, xs, ys, s):
        settings = {k: s[k] for k in ("epochs", "batch_size", "validation_split", "shuffle", "yield_every", "callbacks")}
        loss = "categorical_crossentropy" if self.task == "classification" else "mean_squared_error"
        try:
            history = await fit(self.model, xs, ys, optimizer=self.options["optimizer"],
                                learning_rate=self.options["learning_rate"], loss=loss, **settings)
        except Exception as error:
            self._give_back(run, previous)  # a failed run (NaN loss, a callback error) keeps the last good model
            return call_back(s["when_done"], error=error)
        except BaseException:  # cancelled: the sketch exited, or load() replaced this training
            self._give_back(run, previous)
            raise
        self.history = history
        self._finished_run = run  # inside when_done, is_trained is already True
        return call_back(s["when_done"], history)

    def _give_back(self, run, previous):
        if self._run == run:
            self.model, self.encoding = previous

    def _training_summary(self, s, encoding):
        """What shapes a training, compared by live coding to decide whether it goes on."""
        plain = {k: v for k, v in s.items() if k not in ("callbacks", "while_training", "when_done")}
        return {**self.options, **plain, "examples": len(self.data), "encoding": repr(encoding),
                "normalized": self.data.is_normalized}

    def _stop_running_training(self):
        if self.is_training:
            self.task_handle.cancel()

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
    def classify(self, inputs, callback=None):
        """``[{"label": "red-ish", "confidence": 0.91}, ...]``, most confident first.

        Without a callback the results come back right away. With one, ``callback(error, results)``
        or ``callback(results)`` runs on a later frame (as ml5's promise), so calling ``classify``
        again inside it loops forever without recursion; it returns the delivery ``Task``.
        """
        return self._answer(self.classify_multiple([inputs])[0], callback, "classify")

    def classify_sync(self, inputs) -> list:
        """``classify`` for ``draw()``: the results now, no callback."""
        return self.classify_multiple([inputs])[0]

    def classify_multiple(self, rows, callback=None):
        """One result list per row: ``classify_multiple([[1, 2], [3, 4]])``."""
        if self.task != "classification":
            raise DataError("classify() is for classification: this network does regression, use predict().")
        labels = self.encoding.labels if self.encoding else []
        results = [sorted(({"label": label, "confidence": float(p)} for label, p in zip(labels, probs)),
                          key=lambda r: r["confidence"], reverse=True) for probs in self._forward(rows)]
        return self._answer(results, callback, "classify_multiple")

    def predict(self, inputs, callback=None):
        """Regression: ``[{"value": 0.42, "label": "y"}, ...]``, one per output, in the data's units.
        A callback gets them on a later frame, as with ``classify``."""
        return self._answer(self.predict_multiple([inputs])[0], callback, "predict")

    def predict_sync(self, inputs) -> list:
        """``predict`` for ``draw()``: the results now, no callback."""
        return self.predict_multiple([inputs])[0]

    def predict_multiple(self, rows, callback=None):
        """One result list per row: ``predict_multiple([[1], [2], [3]])``."""
        if self.task != "regression":
            raise DataError("predict() is for regression: this network classifies, use classify().")
        outputs = self._forward(rows)
        results = [[{"value": v, "label": name} for v, name in zip(self.encoding.decode_values(row), self.encoding.output_names)]
                   for row in outputs]
        return self._answer(results, callback, "predict_multiple")

    def _answer(self, results, callback, name):
        if callback is None:
            return results
        if not callable(callback):
            raise DataError(f"The callback must be a function, like {name}(inputs, got_results), not {quote(callback)}.")
        return deliver_later(callback, results, name=f"NeuralNetwork.{name}")

    def _forward(self, rows):
        if self.model is None:
            raise DataError("This network has not been trained or loaded yet: call train() or load() first.")
        if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__len__") or len(rows) == 0:
            raise DataError(f"Give a list of input rows, like [[1, 2], [3, 4]], not {quote(rows)}.")
        table = np.stack([self.encoding.encode_inputs(row) for row in rows])
        with torch.no_grad():
            return self.model(torch.from_numpy(table)).numpy()

    # -- files -------------------------------------------------------------------------------
    def save(self, directory=".", name="model"):
        """Write ``model.json``, ``model.weights.bin`` and ml5's ``model_meta.json`` into ``directory``."""
        if self.model is None:
            raise DataError("Nothing to save yet: train() or load() the network first.")
        return save_network(self.model, self.encoding, layer_specs(self.options, self.encoding), directory, name)

    def load(self, path, callback=None):
        """Load ``model.json`` (py5ml's or ml5's; the weights and ``model_meta.json`` are found beside it).

        A failed load changes nothing. A load while training stops that training first (it was
        going to replace the model the sketch just asked for). ``callback()`` runs on a later frame.
        """
        model, encoding = load_network(path)
        self._stop_running_training()
        self._run += 1
        self.model, self.encoding = model, encoding
        self.options["task"] = self.data.task = encoding.task
        self.task_handle = None
        if callback is not None:
            deliver_later(callback, self, name="NeuralNetwork.load")
        return self
