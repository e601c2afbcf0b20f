"""``image_classifier``: ml5's imageClassifier — MobileNet's ImageNet labels, or your Teachable Machine model.

``image_classifier("MobileNet")`` is ml5's first lesson: ml5 0.x's MobileNet v1 names what it sees
among ImageNet's 1,000 classes. ``image_classifier("my_model/model.json")`` runs a model you
trained on Teachable Machine (or any TF.js image model, such as a whole ml5 featureExtractor
save), with the labels from its files. The model loads and runs on its own thread, so ``draw()``
never waits; results arrive by callback, on the draw thread, on a later frame.

Example::

    import py5
    import py5ml

    label = "waiting..."

    def setup():
        global video, classifier
        py5.size(320, 270)
        video = py5ml.Capture("camera")
        classifier = py5ml.image_classifier("my_model/model.json", video, model_ready)

    def model_ready():
        classifier.classify(got_results)

    def got_results(results):
        global label
        label = f"{results[0]['label']} {results[0]['confidence']:.0%}"
        classifier.classify(got_results)       # and again: classify continuously

    def draw():
        video.draw(0, 0)
        py5.text(label, 10, 260)

    py5.run_sketch()
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch

from .._checks import check_int, check_path, quote
from .._errors import ArgumentError, DataError, ModelFileError
from ..clock._scheduler import notify_when_done, start_task
from ..clock._user_callbacks import call_back
from ._image_input import to_rgb_array
from ._inference_worker import InferenceWorker
from ._tfjs_preprocess import prepare

__all__ = ["ImageClassifier", "image_classifier"]

DEFAULTS = {"top_k": 3, "weights": "DEFAULT", "device": "auto", "threads": "auto"}


def image_classifier(model="MobileNet", source=None, callback=None, *, on_error=None, **options):
    """Start loading an image classifier; returns an ``ImageClassifier`` right away (ml5's imageClassifier).

    Example (ml5's first lesson: what does MobileNet see?)::

        import py5
        import py5ml

        label = "..."

        def setup():
            global classifier, picture
            py5.size(400, 300)
            picture = py5.load_image("cat.jpg")
            classifier = py5ml.image_classifier("MobileNet", callback=model_ready)

        def model_ready():
            classifier.classify(got_results, image=picture)

        def got_results(results):
            global label
            label = f"{results[0]['label']} {results[0]['confidence']:.0%}"

        def draw():
            py5.image(picture, 0, 0, 400, 260)
            py5.text(label, 10, 290)

        py5.run_sketch()

    Args:
        model: "MobileNet" (ml5 0.x's MobileNet v1, ImageNet's 1,000 labels) or the path of a
            Teachable Machine export's model.json (or its folder).
        source: where ``classify()`` takes pictures from (a ``Capture``, a py5 image...).
        callback: called on the draw thread once the model is ready (ml5's ``modelReady``).
        on_error: called with the error if loading fails (default: print it).
        top_k: how many results ``classify`` gives, most confident first (3, like ml5).
        weights: for "MobileNet": "DEFAULT" (ml5's URL, downloaded once) or a local folder of its files.
        device, threads: where the model runs, as for ``feature_extractor``.

    Raises:
        ModelFileError: ``model`` is not "MobileNet" and not a usable path.
    """
    return ImageClassifier(model, source, callback, on_error=on_error, **options)


@dataclass
class _Loaded:
    """What runs on the worker thread: the module, its labels and how to prepare a picture."""

    module: torch.nn.Module
    labels: list
    recipe: str
    size: int
    device: torch.device

    @torch.inference_mode()
    def probabilities(self, rgb):
        x = torch.from_numpy(prepare(rgb, self.recipe, self.size)[None]).to(self.device)
        return self.module(x).reshape(-1).float().cpu().numpy()


class ImageClassifier:
    """A loaded (or loading) image model; make one with ``image_classifier``."""

    def __init__(self, model="MobileNet", source=None, callback=None, *, on_error=None, **options):
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise ArgumentError(f"image_classifier() got unknown options {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        opts = dict(DEFAULTS, **options)
        self.top_k = check_int(opts["top_k"], "top_k", low=1)
        self.source = source
        self.model_name = "MobileNet" if _is_mobilenet(model) else str(check_path(model, "model", error=ModelFileError))
        from ._backbones import check_weights, pick_device
        from ._feature_extractor import _threads

        check_weights(opts["weights"])
        load = partial(_load, self.model_name, opts["weights"], pick_device(opts["device"]))
        self._worker = InferenceWorker(load, threads=_threads(opts["threads"], opts["device"]), name="py5ml-classifier")
        if callback is not None or on_error is not None:
            start_task(notify_when_done(self.ready_async(), callback, on_error), name=f"loading {self.model_name}")

    def __repr__(self):
        state = "ready" if self.is_ready else ("failed" if self.error else "loading")
        return f"<py5ml.ImageClassifier {self.model_name!r} {state}>"

    @property
    def is_ready(self) -> bool:
        """True once the model has loaded."""
        return self._worker.is_ready

    @property
    def error(self):
        """The loading error, or None."""
        return self._worker.load_error

    @property
    def labels(self) -> list:
        """The model's labels, in output order ([] while loading)."""
        return list(self._worker.ready.result().labels) if self.is_ready else []

    async def ready_async(self):
        """Wait (without blocking draw) until the model is ready."""
        await asyncio.wrap_future(self._worker.ready)
        return self

    def wait_until_ready(self, timeout=None):
        """Block until the model is ready (for scripts; in a sketch use ``callback``)."""
        self._worker.ready.result(timeout)
        return self

    async def classify_async(self, image=None):
        """Results for a picture (default: the source's current frame), most confident first:
        ``[{"label": "Egyptian cat", "confidence": 0.30}, ...]`` (``top_k`` of them)."""
        return await self._results(self._picture(image))

    def classify(self, callback=None, *, image=None):
        """Classify off the draw thread; ``callback(results)`` (or ml5 0.x's ``callback(error, results)``)
        runs on the draw thread on a later frame. Returns a Task.

        The picture is taken now, at the call. Call ``classify(got_results)`` again inside
        ``got_results`` to classify continuously.
        """
        rgb = self._picture(image)

        async def run():
            try:
                results = await self._results(rgb)
            except Exception as error:  # to an error-first callback, else reported by the scheduler
                return call_back(callback, None, error)
            call_back(callback, results)
            return results

        return start_task(run(), name="classify")

    def _picture(self, image):
        if image is None and self.source is None:
            raise DataError("classify() needs a picture: image_classifier(model, video) or classify(got_results, image=img).")
        return to_rgb_array(self.source if image is None else image)

    async def _results(self, rgb):
        probs = await asyncio.wrap_future(self._worker.submit(lambda loaded, pic: loaded.probabilities(pic), rgb))
        labels = self._worker.ready.result().labels  # loaded: the job above ran after loading
        order = np.argsort(-probs, kind="stable")[: self.top_k]
        return [{"label": labels[i], "confidence": float(probs[i])} for i in order]

    def close(self):
        """Stop the worker thread once its queued work is done."""
        self._worker.close()


def _is_mobilenet(model) -> bool:
    return isinstance(model, str) and model.lower().replace("-", "").replace("_", "") == "mobilenet"


def _load(model: str, weights, device) -> _Loaded:
    """On the worker thread: build the model and say how to feed it."""
    if model == "MobileNet":
        from torchvision.models._meta import _IMAGENET_CATEGORIES

        from ._tfjs_backbones import mobilenet_v1

        module, _, _ = mobilenet_v1(weights, classifier=True)
        return _Loaded(module.to(device), list(_IMAGENET_CATEGORIES), "ml5", 224, device)
    from ..formats._model_files import load_model

    loaded = load_model(model)
    shape = tuple(loaded.input_shape)
    if len(shape) != 3 or shape[2] != 3 or shape[0] != shape[1]:
        raise ModelFileError(
            f"{quote(os.path.basename(model))} reads {shape}, not a square RGB picture, so it is not an image "
            "classifier. A feature extractor head loads with feature_extractor(...).classification().load(path)."
        )
    labels = loaded.labels or [str(i) for i in range(int(np.prod(loaded.model(torch.zeros(1, *shape)).shape[1:])))]
    recipe = "ml5" if loaded.source == "ml5-feature-extractor" else "teachable_machine"
    return _Loaded(loaded.model.to(device), list(labels), recipe, shape[0], device)
