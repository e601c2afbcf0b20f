"""Saving and loading a ``TransferModel``'s head: TF.js files that remember their backbone.

``save()`` writes only the small head (about 5 MB, not the backbone's weights), with the labels and
the backbone, version and feature layer it was trained on, so loading it on another backbone stops
with an error that names the right one. ``save(format="ml5")`` writes what ml5 0.x's
featureExtractor writes instead: MobileNet v1 and the head in one model, which ml5's
``classifier.load()`` takes in the browser.

``load()`` takes py5ml's files, ml5 0.x heads (head only, or MobileNet and head together), ml5 1.x
heads and the head of a Teachable Machine export (on ``feature_extractor("MobileNetV2_0.35", ...)``).
"""

from __future__ import annotations

import asyncio

from .._checks import check_choice
from .._errors import BackboneError, DataError
from ..formats._ml5_files import is_available, missing_backbone_message
from ..formats._ml5_save import ml5_document
from ..formats._model_files import _version, check_input_shape, load_head, load_model, save_document, save_model
from ..clock._scheduler import notify_when_done, start_task
from ._backbones import how_to_load

__all__ = ["ModelFilesMixin", "check_backbone"]


class ModelFilesMixin:
    """``save`` / ``load`` for ``TransferModel`` (which provides head, labels, task, extractor)."""

    def save(self, directory=".", name="model", *, format="py5ml"):
        """Write the head as ``directory/name.json`` + ``name.weights.bin``; returns the .json path.

        ``format="py5ml"``: the head only, TF.js Layers files with the labels and the backbone it needs.
        ``format="ml5"``: ml5 0.x's layout (MobileNet v1 and the head together, labels in
        ``ml5Specs``), for a head trained on ``feature_extractor("MobileNet", version=1)``.
        """
        check_choice(format, "format", ("py5ml", "ml5"))
        if self.head is None:
            raise DataError("Train the model before saving it!")
        shape = tuple(self.metadata["feature_shape"])
        if format == "ml5":
            return self._save_ml5(directory, name, shape)
        return save_model(self.head, directory, name, input_shape=shape, metadata=self.metadata)

    def _save_ml5(self, directory, name, shape):
        from ._tfjs_backbones import V1, keras_weights

        backbone = self.extractor.backbone
        if backbone is None or backbone.version != V1:
            raise DataError("save(format='ml5') writes ml5 0.x's MobileNet v1 with the head, so the head must be "
                            "trained on feature_extractor('MobileNet', version=1).")
        labels = list(self.labels) if self.task == "classification" else None
        document, data = ml5_document(backbone.topology, keras_weights(backbone), self.head, shape, labels, self.metadata)
        return save_document(directory, name, document, data)

    def _backbone_info(self):
        backbone = self.extractor.backbone
        return backbone.describe() if backbone is not None else {}

    def _describe(self, feature_shape):
        info = self._backbone_info()
        info.update(task=self.task, labels=list(self.labels) if self.task == "classification" else None,
                    feature_shape=list(feature_shape), py5ml=_version())
        return info

    def load(self, path, callback=None, *, on_error=None):
        """Load a head saved by ``save`` (or by ml5, or a Teachable Machine export's head), after the
        backbone is ready. ``callback()`` runs when it is in use; ``on_error(error)`` if it cannot be
        (default: the error is printed). Returns a Task. Nothing changes if loading fails."""
        return start_task(notify_when_done(self.load_async(path), callback, on_error), name="load")

    async def load_async(self, path):
        """``await``-able ``load``.

        Raises:
            BackboneError: the head was made for another backbone (the message names it).
            ModelFileError: a missing, damaged or mismatched model file.
        """
        backbone = await self.extractor.ready_async()
        loaded = await asyncio.to_thread(_load_head_or_model, path)
        meta = dict(loaded.metadata or {})
        check_backbone(meta, backbone, f"The model {path}")
        check_input_shape(loaded, backbone.feature_shape, f"{backbone.version} {backbone.layer} features")
        if meta.get("task", self.task) != self.task:
            raise DataError(f"{path} is a {meta.get('task')} model; load it with .{meta.get('task')}(...).")
        if self.task == "classification" and not loaded.labels:
            raise DataError(f"{path} does not name its labels, so its results cannot be named.")
        self.metadata = dict(meta, **backbone.describe(), task=self.task)
        self.head, self.labels = loaded.model.eval(), list(loaded.labels or [])
        return self


def _load_head_or_model(path):
    """A file holding backbone + head gives its head; any other file loads whole."""
    return load_head(path) or load_model(path)


def check_backbone(saved, backbone, what):
    """A head (or examples) made on one backbone cannot read another's features."""
    version = saved.get("version")
    if not version:
        return
    if not is_available(version):
        raise BackboneError(missing_backbone_message(saved, what))
    layer = saved.get("layer", "pooled")
    if version != backbone.version or layer != backbone.layer:
        name = saved.get("backbone", "MobileNet")
        raise BackboneError(f"{what} was trained on {name} ({version}, {layer} features), but this feature "
                            f"extractor is {backbone.name} ({backbone.version}, {backbone.layer}). "
                            f"Load it with {how_to_load(name, version, layer)}.")
