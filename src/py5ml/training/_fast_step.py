"""A hand-written training step for small dense networks, in numpy, equal to torch's.

The color classifier's network (3 → 16 → 9) does a few thousand multiply-adds per batch. Torch's
autograd spends far longer bookkeeping than computing: building the graph, dispatching each op,
zeroing gradients. For a ``Sequential`` of ``Linear`` layers and element-wise activations, the
forward and backward passes are a dozen numpy lines, like working a sum by hand instead of
booting a spreadsheet. The numpy arrays *are* the model's parameters (they share memory), so the
torch model sees every update at once and ``model(x)`` works between batches.

``fit`` uses it only where it gives the same numbers as the torch path (same loss curve within
float rounding for the same seed): ``Linear``, ``Sigmoid``, ``ReLU``, ``Tanh``, a final
``Softmax(dim=1)``; cross-entropy or MSE/MAE losses; ``"sgd"`` or ``"adam"`` by name; float32 on the
CPU; a leading ``Flatten()`` (a head on a feature map). Anything else trains with torch, as before.
"""

import numpy as np
import torch

from ._losses import EPSILON, _dense_ce, _mae, _mse, _sparse_ce

__all__ = ["DenseStep", "ENABLED"]

ENABLED = True  # benchmarks and tests switch it off to compare against the torch path

_ACTIVATIONS = {torch.nn.Sigmoid: "sigmoid", torch.nn.ReLU: "relu", torch.nn.Tanh: "tanh"}
_LOSSES = {_sparse_ce: "sparse_ce", _dense_ce: "dense_ce", _mse: "mse", _mae: "mae"}
_BETAS, _ADAM_EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam's defaults, which make_optimizer uses


class DenseStep:
    """One SGD or Adam step of a small dense ``Sequential``, forward and backward by hand.

    Build it with ``DenseStep.build(...)``, which returns ``None`` when the model, loss or optimizer
    is one it does not cover. ``step(sel)`` trains on the rows ``sel`` and returns the batch's logs.
    """

    def __init__(self, ops, loss_kind, optimizer, learning_rate, data):
        self.ops, self.loss_kind = ops, loss_kind
        self.optimizer, self.lr = optimizer, np.float32(learning_rate)
        self.xs, self.ys, self.idx = data
        self.params = [p for op in ops if op[0] == "linear" for p in op[1:] if p is not None]
        self.moments = [(np.zeros_like(p), np.zeros_like(p)) for p in self.params]
        self.t = 0

    @classmethod
    def build(cls, model, loss_fn, optimizer, learning_rate, xs, ys, idx):
        """A ``DenseStep`` for this training run, or ``None`` when torch must do it."""
        loss_kind = _LOSSES.get(loss_fn)
        opt = optimizer.lower() if isinstance(optimizer, str) else None
        if _starts_with_flatten(model) and xs.ndim > 2:
            xs = xs.reshape(len(xs), -1)  # a head on a feature map: flatten the data once, not every batch
        if not ENABLED or loss_kind is None or opt not in ("sgd", "adam") or not _plain_cpu(xs, ys, idx):
            return None
        ops = _ops(model)
        if ops is None or (loss_kind.endswith("_ce") and ops[-1][0] != "softmax"):
            return None
        data = (xs.numpy(), ys.numpy(), None if idx is None else idx.numpy())
        return cls(ops, loss_kind, opt, learning_rate, data)

    def step(self, sel) -> dict:
        """Train on the rows ``sel`` (a tensor or array of indices); returns ``{"loss", "acc"?}``."""
        rows = np.asarray(sel)
        # A diverging run overflows to inf/NaN as torch does, silently: fit reports the NaN loss.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            acts = self._forward(self.xs[rows])
            loss, grad = self._loss(acts[-1], self.ys[rows])
            self._update(self._backward(acts, grad))
        logs = {"loss": loss}
        if self.idx is not None:
            logs["acc"] = int(np.count_nonzero(acts[-1].argmax(axis=1) == self.idx[rows])) / len(rows)
        return logs

    def _forward(self, x):
        acts = [x]
        for op in self.ops:
            acts.append(_FORWARD[op[0]](acts[-1], op))
        return acts

    def _loss(self, out, target):
        n = len(out)
        if self.loss_kind == "sparse_ce":
            rows = np.arange(n)
            picked = out[rows, target]
            clipped = np.clip(picked, EPSILON, 1 - EPSILON)
            grad = np.zeros_like(out)
            grad[rows, target] = np.where(picked == clipped, -1.0 / (clipped * n), 0.0)
            return float(-np.log(clipped).mean()), grad
        if self.loss_kind == "dense_ce":
            clipped = np.clip(out, EPSILON, 1 - EPSILON)
            grad = np.where(out == clipped, -target / (clipped * n), 0.0).astype(np.float32)
            return float(-(target * np.log(clipped)).sum(axis=1).mean()), grad
        diff = out - target.reshape(out.shape)
        if self.loss_kind == "mse":
            return float((diff * diff).mean()), (2.0 / diff.size) * diff
        return float(np.abs(diff).mean()), np.sign(diff) / np.float32(diff.size)

    def _backward(self, acts, grad):
        """Gradients of every parameter, in ``self.params`` order."""
        grads = []
        for i in range(len(self.ops) - 1, -1, -1):
            op, out = self.ops[i], acts[i + 1]
            if op[0] == "linear":
                grads += [grad.sum(axis=0), grad.T @ acts[i]] if op[2] is not None else [grad.T @ acts[i]]
                if i > 0:
                    grad = grad @ op[1]
            else:
                grad = _BACKWARD[op[0]](grad, out)
        return grads[::-1]

    def _update(self, grads):
        if self.optimizer == "sgd":
            for p, g in zip(self.params, grads):
                p -= self.lr * g
            return
        self.t += 1
        (b1, b2), t = _BETAS, self.t
        step_size = self.lr / (1 - b1 ** t)
        root_bc2 = np.sqrt(1 - b2 ** t)
        for p, g, (m, v) in zip(self.params, grads, self.moments):
            m += (1 - b1) * (g - m)
            v *= b2
            v += (1 - b2) * g * g
            p -= step_size * m / (np.sqrt(v) / root_bc2 + _ADAM_EPS)


def _plain_cpu(*tensors):
    return all(t is None or (t.device.type == "cpu" and not t.requires_grad) for t in tensors) and \
        tensors[0].dtype == torch.float32 and tensors[0].ndim == 2


def _ops(model):
    """The model as ``("linear", W, b)`` / ``("sigmoid",)`` ... tuples, or None if not covered."""
    if type(model) is not torch.nn.Sequential or _has_hooks(model):
        return None
    ops, layers = [], list(model)[1:] if _starts_with_flatten(model) else list(model)
    for i, layer in enumerate(layers):
        if _has_hooks(layer):
            return None
        if type(layer) is torch.nn.Linear and _plain_params(layer):
            bias = None if layer.bias is None else layer.bias.detach().numpy()
            ops.append(("linear", layer.weight.detach().numpy(), bias))
        elif type(layer) in _ACTIVATIONS:
            ops.append((_ACTIVATIONS[type(layer)],))
        elif type(layer) is torch.nn.Softmax and layer.dim in (1, -1) and i == len(layers) - 1:
            ops.append(("softmax",))
        else:
            return None
    return ops if ops and ops[0][0] == "linear" else None


def _starts_with_flatten(model):
    first = model[0] if type(model) is torch.nn.Sequential and len(model) else None
    return type(first) is torch.nn.Flatten and first.start_dim == 1 and first.end_dim == -1 and not _has_hooks(first)


def _plain_params(layer):
    return all(p.dtype == torch.float32 and p.device.type == "cpu" and p.requires_grad and p.is_contiguous()
               for p in layer.parameters())


def _has_hooks(module):
    return bool(module._forward_hooks or module._forward_pre_hooks or module._backward_hooks)


def _sigmoid(h, op):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-h))


def _softmax(h, op):
    e = np.exp(h - h.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _linear(h, op):
    out = h @ op[1].T
    return out if op[2] is None else out + op[2]


_FORWARD = {"linear": _linear, "sigmoid": _sigmoid, "relu": lambda h, op: np.maximum(h, 0),
            "tanh": lambda h, op: np.tanh(h), "softmax": _softmax}
_BACKWARD = {
    "sigmoid": lambda g, s: g * s * (1 - s),
    "tanh": lambda g, t: g * (1 - t * t),
    "relu": lambda g, r: g * (r > 0),
    "softmax": lambda g, p: p * (g - (g * p).sum(axis=1, keepdims=True)),
}
