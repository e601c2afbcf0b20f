"""``TransferModel``: the small head you train on top of a feature extractor (ml5's classifier).

The backbone already turns a picture into a long list of numbers that describe it; the head only
learns which of those numbers mean "happy" and which mean "sad". So thirty examples and a few
seconds of training are enough. Every method that needs the backbone sends the picture to its
worker thread and returns at once: results arrive by callback (on the draw thread) or by ``await``.

Example (the Coding Train "happy / sad" lesson)::

    def setup():
        global video, classifier
        py5.size(320, 270)
        video = py5ml.Capture("camera")
        classifier = py5ml.feature_extractor("MobileNet").classification(video)

    def key_pressed():
        if py5.key == "h": classifier.add_image("happy")
        if py5.key == "s": classifier.add_image("sad")
        if py5.key == "t": classifier.train(while_training)

    def while_training(loss):
        if loss is None:
            classifier.classify(got_results)   # training done: start classifying

    def got_results(results):
        global label
        label = results[0]["label"]
        classifier.classify(got_results)       # and again, for as long as the sketch runs
"""

from __future__ import annotations

import asyncio

import numpy as np
import torch
from torch import nn

from ..training._callbacks import LambdaCallback
from .._checks import check_choice, check_label
from ..live._latest import latest
from .._errors import DataError
from ._example_store import ExampleStore
from ..training._fit import fit
from ._image_input import to_rgb_array
from ..clock._scheduler import start_task
from ..clock._user_callbacks import call_back, takes_error_first
from ._head_options import HEAD_DEFAULTS, check_head_options
from ._transfer_model_files import ModelFilesMixin, check_backbone

__all__ = ["TransferModel"]

DEFAULTS = HEAD_DEFAULTS
_MISSING = object()


class TransferModel(ModelFilesMixin):
    """A trainable head over a ``FeatureExtractor``; make one with ``.classification()`` / ``.regression()``.

    Options (ml5's names in snake_case): ``num_labels`` (None: as many as you add), ``hidden_units``
    (100), ``epochs`` (20), ``batch_size`` (16), ``learning_rate`` (0.001), ``optimizer`` ("adam").
    ``task`` is "classification" (results ``[{"label", "confidence"}]``) or "regression"
    (``{"value"}``, ml5's FeatureExtractor_Image_Regression).
    """

    def __init__(self, extractor, task="classification", source=None, *, callback=None, **options):
        self.options = dict(DEFAULTS, **check_head_options(options))
        self.extractor, self.source = extractor, source
        self.task = check_choice(task, "task", ("classification", "regression"))
        self.head = None  # the trained or loaded nn.Sequential
        self.labels = []  # the head's output labels (classification)
        self.metadata = {}
        self._examples = None
        self._pending = []  # add_image futures not yet stored
        if callback is not None:
            start_task(self._when_ready(callback), name="classifier ready")

    async def _when_ready(self, callback):
        await self.extractor.ready_async()
        callback()

    # -- examples --------------------------------------------------------------------------
    def add_image(self, image_or_label, label=_MISSING, *, callback=None):
        """Add a training example: ``add_image("happy")`` (the source's current frame) or
        ``add_image(image, "happy")``. Returns a ``Task``; ``callback()`` runs once it is stored.

        The picture is taken now, at the call; the backbone works on it off the draw thread.
        """
        fut = self._submit_features(image_or_label, label)
        return start_task(self._store(fut, callback), name="add_image")

    async def add_image_async(self, image_or_label, label=_MISSING):
        """``await``-able ``add_image``; returns how many examples there are now."""
        return await self._store(self._submit_features(image_or_label, label), None)

    def _submit_features(self, image_or_label, label):
        image, label = self._image_and_label(image_or_label, label)
        if self.task == "classification":
            label = check_label(label)
        elif isinstance(label, bool) or not isinstance(label, (int, float, np.number)) or not np.isfinite(label):
            raise DataError(f"A regression example needs a number, like add_image(0.5), not {label!r}.")
        rgb = to_rgb_array(image)
        fut = self.extractor.submit(lambda bb, im: bb.extract([im])[0], rgb)
        self._pending.append(fut)
        return fut, label

    def _image_and_label(self, image_or_label, label):
        if label is not _MISSING:
            return image_or_label, label
        if self.source is None:
            raise DataError("add_image(label) needs a source: use feature_extractor(...).classification(video), "
                            "or pass the picture: add_image(image, label).")
        return self.source, image_or_label

    async def _store(self, pending, callback):
        fut, label = pending
        try:
            features = await asyncio.wrap_future(fut)
            self._example_store(features.shape).add(features, label)
        finally:
            self._pending.remove(fut)  # only now, so train() sees this example stored
        call_back(callback, len(self._examples))
        return len(self._examples)

    def _example_store(self, feature_shape):
        if self._examples is None:
            self._examples = ExampleStore(feature_shape, self.task)
        return self._examples

    @property
    def example_counts(self):
        """How many examples each label has, e.g. ``{"happy": 30, "sad": 28}``."""
        return self._examples.counts() if self._examples else {}

    @property
    def example_count(self):
        return len(self._examples) if self._examples else 0

    def save_examples(self, path):
        """Save the collected examples (features + labels) to a .npz file, to add more later."""
        if not self._examples:
            raise DataError("There are no examples to save yet: add some with add_image first.")
        return self._examples.save(path, backbone=self._backbone_info())

    async def load_examples_async(self, path, *, replace=False):
        """Load examples saved with ``save_examples``; they add to the ones here unless ``replace``."""
        backbone = await self.extractor.ready_async()
        features, labels, meta = ExampleStore.read(path)
        check_backbone(meta.get("backbone") or {}, backbone, f"The examples in {path}")
        if meta.get("task") != self.task:
            raise DataError(f"{path} holds {meta.get('task')} examples; this model does {self.task}.")
        store = ExampleStore(backbone.feature_shape, self.task)
        for features_one, label in zip(features, labels):
            store.add(features_one, label)  # checks every shape before anything changes
        if replace or self._examples is None:
            self._examples = store
        else:
            for features_one, label in zip(features, labels):
                self._examples.add(features_one, label)
        return len(self._examples)

    def load_examples(self, path, callback=None, *, replace=False):
        """Task form of ``load_examples_async``; ``callback(count)`` runs when done."""
        async def run():
            count = await self.load_examples_async(path, replace=replace)
            if callback is not None:
                callback(count)
            return count
        return start_task(run(), name="load_examples")

    # -- training --------------------------------------------------------------------------
    def train(self, while_training=None, *, callbacks=()):
        """Train the head; ``while_training(loss)`` runs after every batch, then ``(None)`` once
        done (ml5's whileTraining). Extra Keras-style ``callbacks`` (e.g. a ``LossGraph``) also
        get every event. Returns a ``Task`` whose result is the ``History``.

        Raises:
            DataError: "Add some examples before training!"
        """
        if not self._examples and not self._pending:
            raise DataError("Add some examples before training!")
        if not self._pending:
            self._check_labels()
        return start_task(self.train_async(while_training, callbacks=callbacks), name="train")

    async def train_async(self, while_training=None, *, callbacks=()):
        """``await``-able ``train``; returns the ``History``."""
        while_training = latest(while_training)  # live coding: each call runs the newest version
        while self._pending:  # add_image calls still on their way: wait until they are stored
            await asyncio.sleep(0.005)
        if not self._examples:
            raise DataError("Add some examples before training!")
        self._check_labels()
        labels = self._examples.labels
        x, y = self._examples.arrays(labels)
        head = self._new_head(x.shape[1:], len(labels))
        report = [] if while_training is None else [LambdaCallback(on_batch_end=lambda b, logs: while_training(logs["loss"]))]
        o = self.options
        history = await fit(head, x, y, epochs=o["epochs"], batch_size=o["batch_size"], optimizer=o["optimizer"],
                            learning_rate=o["learning_rate"], loss=self._loss(), callbacks=[*report, *callbacks])
        self.head, self.labels = head.eval(), labels
        self.metadata = self._describe(x.shape[1:])
        if while_training is not None:
            while_training(None)
        return history

    def _check_labels(self):
        """A classifier needs two labels or more (with one it would say that label for anything)."""
        if self.task != "classification":
            return
        labels, most = self._examples.labels, self.options["num_labels"]
        if len(labels) < 2:
            raise DataError(f"All the examples are labelled {labels[0]!r}: add examples for at least two "
                            "labels before training, so the model has something to tell apart.")
        if most is not None and len(labels) > most:
            raise DataError(f"The examples have {len(labels)} labels but num_labels={most}: raise "
                            f"num_labels, or leave it out to use every label you add.")

    def _new_head(self, feature_shape, n_labels):
        layers = [nn.Flatten()] if len(feature_shape) > 1 else []
        layers += [nn.Linear(int(np.prod(feature_shape)), self.options["hidden_units"]), nn.ReLU()]
        if self.task == "classification":
            layers += [nn.Linear(self.options["hidden_units"], n_labels), nn.Softmax(dim=-1)]
        else:
            layers += [nn.Linear(self.options["hidden_units"], 1)]
        return nn.Sequential(*layers)

    def _loss(self):
        return "sparse_categorical_crossentropy" if self.task == "classification" else "mean_squared_error"

    # -- using the head ----------------------------------------------------------------------
    async def classify_async(self, image=None):
        """Results for a picture (default: the source's current frame), most confident first:
        ``[{"label": "happy", "confidence": 0.97}, {"label": "sad", "confidence": 0.03}]``."""
        if self.task != "classification":
            raise DataError("This is a regression model: use predict(), which gives {'value': ...}.")
        probs = await self._run_head(image)
        order = np.argsort(-probs, kind="stable")
        return [{"label": self.labels[i], "confidence": float(probs[i])} for i in order]

    async def predict_async(self, image=None):
        """Regression: ``{"value": 0.42}`` for a picture (default: the source's current frame)."""
        if self.task != "regression":
            raise DataError("This is a classification model: use classify(), which gives labels.")
        return {"value": float((await self._run_head(image))[0])}

    def classify(self, callback=None, *, image=None):
        """Classify off the draw thread; ``callback(results)`` runs on the draw thread. Returns a Task.

        Call ``classify(got_results)`` again inside ``got_results`` to classify continuously.
        ``got_results(error, results)`` (ml5 0.x) gets errors too; ``got_results()`` works as well.
        """
        return self._start(self.classify_async(image), callback, "classify")

    def predict(self, callback=None, *, image=None):
        """Regression form of ``classify``: ``callback({"value": ...})``. Returns a Task."""
        return self._start(self.predict_async(image), callback, "predict")

    def _start(self, coro, callback, name):
        async def run():  # the callback may take (error, results), (results) or ()
            try:
                result = await coro
            except Exception as error:
                if takes_error_first(callback):
                    return call_back(callback, None, error)
                raise
            call_back(callback, result)
            return result
        if self.head is None:
            coro.close()
            raise DataError("Train the model (or load one) before asking it for results!")
        return start_task(run(), name=name)

    async def _run_head(self, image):
        head = self.head
        if head is None:
            raise DataError("Train the model (or load one) before asking it for results!")
        rgb = to_rgb_array(self.source if image is None else image)

        def run(backbone, picture):
            features = torch.from_numpy(backbone.extract([picture]))
            with torch.inference_mode():
                return head(features).numpy()[0]

        return await asyncio.wrap_future(self.extractor.submit(run, rgb))
