"""Saving and loading a ``TransferModel``'s head: TF.js files that remember their backbone.

Only the small head is saved (ml5 did the same: about 5 MB, not MobileNet's weights). Its
model.json also records the labels and the backbone, version and feature layer it was trained
on, so loading it on another backbone stops with an error that names the right one.
"""

from __future__ import annotations

import asyncio

from .._errors import BackboneError, DataError
from ..formats._model_files import _version, check_input_shape, load_model, save_model
from ..clock._scheduler import notify_when_done, start_task

__all__ = ["ModelFilesMixin", "check_backbone"]


class ModelFilesMixin:
    """``save`` / ``load`` for ``TransferModel`` (which provides head, labels, task, extractor)."""

    def save(self, directory=".", name="model"):
        """Write the head (not the backbone) as ``directory/name.json`` + ``name.weights.bin``,
        TF.js Layers files with the labels and the backbone it needs inside. Returns the .json path."""
        if self.head is None:
            raise DataError("Train the model before saving it!")
        shape = tuple(self.metadata["feature_shape"])
        return save_model(self.head, directory, name, input_shape=shape, metadata=self.metadata)

    def _backbone_info(self):
        backbone = self.extractor.backbone
        return backbone.describe() if backbone is not None else {}

    def _describe(self, feature_shape):
        info = self._backbone_info()
        info.update(task=self.task, labels=list(self.labels) if self.task == "classification" else None,
                    feature_shape=list(feature_shape), py5ml=_version())
        return info

    def load(self, path, callback=None, *, on_error=None):
        """Load a head saved by ``save`` (or a matching TF.js file), after the backbone is ready.
        ``callback()`` runs when it is in use; ``on_error(error)`` if it cannot be (default: the
        error is printed). Returns a Task. Nothing changes if loading fails."""
        return start_task(notify_when_done(self.load_async(path), callback, on_error), name="load")

    async def load_async(self, path):
        """``await``-able ``load``.

        Raises:
            BackboneError: the head was made for another backbone (the message names it).
            ModelFileError: a missing, damaged or mismatched model file.
        """
        backbone = await self.extractor.ready_async()
        loaded = await asyncio.to_thread(load_model, path)
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


def check_backbone(saved, backbone, what):
    """A head (or examples) made on one backbone cannot read another's features."""
    if not saved.get("version"):
        return
    same = saved.get("version") == backbone.version and saved.get("layer", "pooled") == backbone.layer
    if not same:
        name, version, layer = saved.get("backbone", "MobileNet"), saved["version"], saved.get("layer", "pooled")
        how = (f"feature_extractor('EfficientNetLite0', layer='{layer}')" if name == "EfficientNetLite0"
               else f"feature_extractor('MobileNet', version='{version}', layer='{layer}')")
        raise BackboneError(f"{what} was trained on {name} ({version}, {layer} features), but this feature "
                            f"extractor is {backbone.name} ({backbone.version}, {backbone.layer}). Load it with {how}.")
