"""Loss functions, accuracy and optimizers by their Keras / TF.js names.

``fit(..., loss="categorical_crossentropy", optimizer="sgd", learning_rate=0.25)`` reads like
the lesson's ``model.compile({optimizer: tf.train.sgd(0.25), loss: "categoricalCrossentropy"})``.
Categorical losses expect probabilities (a softmax last layer), as Keras does by default.
"""

import torch

from .._checks import quote
from .._errors import DataError

__all__ = ["make_loss", "check_optimizer", "make_optimizer", "LOSSES", "OPTIMIZERS"]

EPSILON = 1e-7  # TF.js clips probabilities to [eps, 1 - eps] before the log


def _sparse_ce(probs, target_idx):
    picked = probs.gather(1, target_idx.unsqueeze(1)).clamp(EPSILON, 1 - EPSILON)
    return -picked.log().mean()


def _dense_ce(probs, target):
    return -(target * probs.clamp(EPSILON, 1 - EPSILON).log()).sum(dim=1).mean()


def _mse(pred, target):
    return (pred - target.reshape(pred.shape)).pow(2).mean()


def _mae(pred, target):
    return (pred - target.reshape(pred.shape)).abs().mean()


LOSSES = {
    "categorical_crossentropy": "categorical",
    "sparse_categorical_crossentropy": "categorical",
    "mean_squared_error": "regression",
    "mse": "regression",
    "mean_absolute_error": "regression",
    "mae": "regression",
}
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "rmsprop": torch.optim.RMSprop}


def make_loss(loss, targets):
    """Return ``(loss_fn(pred, target), targets, labels_for_accuracy or None)``.

    One-hot targets become class indices, which is exact and faster.
    """
    if callable(loss):
        return loss, targets, None
    name = _canonical(loss, LOSSES, "loss")
    if LOSSES[name] == "regression":
        return (_mse if name in ("mse", "mean_squared_error") else _mae), targets.float(), None
    indices = _class_indices(targets, name)
    if indices is not None:
        return _sparse_ce, indices, indices
    return _dense_ce, targets.float(), targets.argmax(dim=1)


def _class_indices(targets, name):
    if targets.ndim == 1:
        if targets.is_floating_point() and not torch.equal(targets, targets.round()):
            raise DataError(f"{name} needs class numbers (0, 1, 2, ...) or one-hot rows as y.")
        return targets.long()
    if targets.ndim != 2:
        raise DataError(f"{name} needs y as one-hot rows (N, classes) or class numbers (N,), got shape {tuple(targets.shape)}.")
    is_one_hot = bool(((targets == 0) | (targets == 1)).all()) and bool((targets.sum(dim=1) == 1).all())
    return targets.argmax(dim=1) if is_one_hot else None


def check_optimizer(optimizer, learning_rate):
    """Refuse an unknown optimizer name or a learning rate that is not positive; returns the name
    (``None`` for an optimizer you made)."""
    if isinstance(optimizer, torch.optim.Optimizer):
        return None
    name = _canonical(optimizer, OPTIMIZERS, "optimizer")
    if not (learning_rate > 0):
        raise DataError(f"learning_rate must be a positive number like 0.25, got {quote(learning_rate)}.")
    return name


def make_optimizer(optimizer, model, learning_rate):
    """A torch optimizer from a name ("sgd", "adam", "rmsprop") or an optimizer you made.

    The first torch optimizer a process makes imports ``torch._dynamo`` (about 2.5 s here), so
    ``fit`` makes one only when its numpy step does not cover the model.
    """
    name = check_optimizer(optimizer, learning_rate)
    return optimizer if name is None else OPTIMIZERS[name](model.parameters(), lr=learning_rate)


def _canonical(name, table, what):
    key = str(name).lower().replace("-", "_")
    key = {"categoricalcrossentropy": "categorical_crossentropy", "meansquarederror": "mean_squared_error"}.get(key, key)
    if key not in table:
        raise DataError(f"Unknown {what} {quote(name)}. Choose one of: {', '.join(table)} (or pass your own).")
    return key
