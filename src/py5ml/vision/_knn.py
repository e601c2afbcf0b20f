"""``KNNClassifier``: ml5's KNN classifier — classify by the votes of the closest examples.

No training step: every example you add is kept as it is, and a new picture gets the label most of
its ``k`` nearest examples have. Like asking your three most similar friends and going with the
majority. "Nearest" is cosine similarity (the angle between two feature vectors), as in ml5 and
TensorFlow.js's knn-classifier, so the examples are stored scaled to length 1. Classifying is one
matrix product over all the examples, so thousands of them still take well under a frame.

Example (the Coding Train KNN webcam lesson)::

    import py5
    import py5ml

    def setup():
        global video, extractor, knn
        py5.size(320, 270)
        video = py5ml.Capture("camera")
        extractor = py5ml.feature_extractor("MobileNet", version=1)
        knn = py5ml.KNNClassifier()

    def key_pressed():
        features = extractor.infer(video)
        knn.add_example(features, py5.key)       # press a, b, c... to add the current frame
        if knn.get_num_labels() == 1:
            knn.classify(extractor.infer(video), got_results)   # starts at once: no training

    def got_results(error, result):
        global label
        label = result["label"]
        knn.classify(extractor.infer(video), got_results)       # and again, on the next frame

    def draw():
        video.draw(0, 0)

    py5.run_sketch()
"""

from __future__ import annotations

import numbers

import numpy as np

from .._checks import check_int, check_label, quote
from .._errors import DataError
from ..clock._scheduler import get_scheduler, next_frame, start_task
from ..clock._user_callbacks import call_back
from ._knn_files import read_knn_file, write_knn_file

__all__ = ["KNNClassifier"]

MAX_FEATURES = 1 << 22  # numbers in one example: more is a picture passed where features belong


class KNNClassifier:
    """Examples (feature vectors) with their labels; ``classify`` votes among the ``k`` nearest."""

    def __init__(self):
        self._names = []  # class index -> label (ml5's mapStringToIndex); None for a bare index
        self._rows = np.zeros((0, 0), np.float32)  # unit-length examples, grown by doubling
        self._classes = np.zeros(0, np.int64)  # the class index of each row
        self._count = 0

    def __repr__(self):
        return f"<py5ml.KNNClassifier {self._count} examples, {self.get_num_labels()} labels>"

    # -- examples ------------------------------------------------------------------------
    def add_example(self, features, label):
        """Add one example: ``features`` (from ``extractor.infer(...)``, a numpy array, a torch
        tensor or a list of numbers) with a ``label`` (text such as "rock", or a class index).

        Raises:
            DataError: features that are not finite numbers or not as wide as the others, or a
                label that is empty, a list, negative... Nothing is added then.
        """
        row = self._as_row(features)
        index, new_name = self._class_for(label)
        self._append(row, index)
        if new_name is not None:
            self._names.extend([None] * (index + 1 - len(self._names)))
            self._names[index] = new_name

    def _class_for(self, label):
        """(class index, a new label to record or None); changes nothing."""
        if isinstance(label, numbers.Integral) and not isinstance(label, bool):
            return check_int(label, "A class index", low=0, high=9_999), None
        name = check_label(label)
        known = self._index_of_name(name)
        if known is not None:
            return known, None
        used = self._classes[: self._count]
        index = max(len(self._names), int(used.max()) + 1 if self._count else 0)
        return index, name

    def _as_row(self, features):
        vector = _to_vector(features)
        width = self._rows.shape[1]
        if self._count and vector.size != width:
            raise DataError(f"These features have {vector.size} numbers, but this classifier's examples have "
                            f"{width}. Use the same feature extractor for every example, or call "
                            "clear_all_labels() to start over.")
        biggest = float(np.abs(vector).max())
        if biggest == 0:
            return vector
        vector = vector / biggest  # first, so squaring 1e38 cannot overflow
        return vector / np.linalg.norm(vector)

    def _append(self, row, index):
        if self._count == 0:
            self._rows = np.zeros((16, row.size), np.float32)
            self._classes = np.zeros(16, np.int64)
        elif self._count == len(self._rows):  # full: double, so adding stays cheap on average
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
            self._classes = np.concatenate([self._classes, np.zeros_like(self._classes)])
        self._rows[self._count] = row
        self._classes[self._count] = index
        self._count += 1

    # -- classifying ---------------------------------------------------------------------
    def classify_sync(self, features, k=3):
        """The result for ``features`` now, for use in ``draw()``::

            {"label": "rock", "classIndex": 0, "confidences": {0: 0.67, 1: 0.33},
             "confidencesByLabel": {"rock": 0.67, "paper": 0.33}}

        A confidence is the share of the ``k`` nearest examples that have that label.

        Raises:
            DataError: no examples yet, ``k`` not a whole number of at least 1, or bad features.
        """
        k = check_int(k, "k", low=1)
        if self._count == 0:
            raise DataError("There are no examples in any label yet: add some with add_example(features, label).")
        query = self._as_row(features)
        rows, classes = self._rows[: self._count], self._classes[: self._count]
        # einsum, not BLAS's `rows @ query`: BLAS spreads a product this small over every core,
        # and when the backbone's thread holds them it waits (5000 examples: 1.5 ms vs 9-24 ms).
        similarity = np.einsum("ij,j->i", rows, query)
        k = min(k, self._count)
        nearest = np.argpartition(-similarity, k - 1)[:k]
        return self._result(np.bincount(classes[nearest], minlength=int(classes.max()) + 1), k)

    def _result(self, votes, k):
        present = np.unique(self._classes[: self._count])
        confidences = {int(i): float(votes[i]) / k for i in present}
        best = int(present[np.argmax(votes[present])])  # ties: the lowest class index, as in ml5
        by_label = {self._label_of(i): c for i, c in confidences.items()}
        return {"label": self._label_of(best), "classIndex": best, "confidences": confidences,
                "confidencesByLabel": by_label}

    def _label_of(self, index):
        name = self._names[index] if index < len(self._names) else None
        return name if name is not None else str(index)

    async def classify_async(self, features, k=3):
        """``await``-able ``classify``: the result arrives on the next frame."""
        result = self.classify_sync(features, k)
        await next_frame()
        return result

    def classify(self, features, k=3, callback=None):
        """Classify ``features``; ``callback`` gets the result on the next frame. Returns a ``Task``.

        The callback may be written ``got_results(error, result)`` (ml5 0.x), ``got_results(result)``
        or ``got_results()``. Calling ``classify`` again inside it classifies once per frame, for
        as long as the sketch runs. ``classify(features, got_results)`` works too, as in ml5.

        Raises:
            DataError: at the call, as ``classify_sync`` does.
        """
        if callable(k) and callback is None:
            k, callback = 3, k
        result = self.classify_sync(features, k)  # checked and computed now, delivered later
        return _deliver_later(callback, result, "KNNClassifier.classify")

    # -- counts and clearing ----------------------------------------------------------------
    def get_count(self):
        """Examples per class index, e.g. ``{0: 12, 1: 9}``."""
        indices, counts = np.unique(self._classes[: self._count], return_counts=True)
        return {int(i): int(c) for i, c in zip(indices, counts)}

    def get_count_by_label(self):
        """Examples per label, e.g. ``{"rock": 12, "paper": 9}``."""
        return {self._label_of(i): c for i, c in self.get_count().items()}

    def get_num_labels(self):
        """How many labels have examples."""
        return len(self.get_count())

    def clear_label(self, label):
        """Forget every example of ``label`` (text or class index).

        Raises:
            DataError: a label with no examples (the message lists the ones there are).
        """
        index = self._existing_class(label)
        keep = self._classes[: self._count] != index
        kept = int(keep.sum())
        self._rows[:kept] = self._rows[: self._count][keep]
        self._classes[:kept] = self._classes[: self._count][keep]
        self._count = kept

    def _index_of_name(self, name):
        """The class a label names: a recorded name, or "3" for an unnamed class index 3."""
        if name in self._names:
            return self._names.index(name)
        if name.isascii() and name.isdigit() and int(name) in self.get_count() and self._label_of(int(name)) == name:
            return int(name)
        return None

    def _existing_class(self, label):
        counts = self.get_count()
        if isinstance(label, numbers.Integral) and not isinstance(label, bool) and int(label) in counts:
            return int(label)
        index = self._index_of_name(label) if isinstance(label, str) else None
        if index in counts:
            return index
        known = ", ".join(repr(name) for name in self.get_count_by_label()) or "none yet"
        raise DataError(f"There is no label {quote(label)} to clear. Labels with examples: {known}.")

    def clear_all_labels(self):
        """Forget every example and every label."""
        self.__init__()

    # -- files ---------------------------------------------------------------------------
    def save(self, path="myKNN.json"):
        """Write every example to ``path`` in ml5's format (ml5's ``load`` reads it); returns the path.

        A name without ``.json`` gets it, as in ml5. The file is written whole or not at all.
        """
        if self._count == 0:
            raise DataError("There are no examples to save yet: add some with add_example(features, label).")
        classes = self._classes[: self._count]
        groups = {int(i): self._rows[: self._count][classes == i] for i in np.unique(classes)}
        names = {i: self._names[i] for i in groups if i < len(self._names) and self._names[i] is not None}
        return write_knn_file(path, groups, names)

    def load(self, path, callback=None):
        """Read a file saved by ``save`` or by ml5's ``knnClassifier.save()``, replacing the examples.

        The file is read and checked at the call; ``callback()`` then runs on the next frame.

        Raises:
            ModelFileError: a missing, damaged or foreign file; the examples are left as they were.
        """
        groups, names = read_knn_file(path)
        fresh = KNNClassifier()
        for index in sorted(groups):
            for row in groups[index]:
                fresh.add_example(row, index)
        for index, name in names.items():
            fresh._names.extend([None] * (index + 1 - len(fresh._names)))
            fresh._names[index] = name
        self.__dict__.update(fresh.__dict__)
        if callback is not None:
            _deliver_later(callback, None, "KNNClassifier.load")
        return self


def _deliver_later(callback, result, name):
    """A Task that hands ``result`` to ``callback`` at the next frame's start, never inside the caller.

    Asked from draw(), it arrives before the next draw(); asked from a callback that is itself
    being delivered, it waits one more frame. So classifying again inside the callback gives one
    result per frame, for ever, with no recursion.
    """
    scheduler = get_scheduler()
    asked_at = scheduler.frame_count

    async def deliver():
        if scheduler.frame_count == asked_at:
            await next_frame()
        call_back(callback, result)
        return result

    return start_task(deliver(), name=name)


def _to_vector(features):
    """Features as a flat, finite float32 vector; anything else is a ``DataError``."""
    if hasattr(features, "detach") and hasattr(features, "cpu"):  # a torch tensor
        features = features.detach().cpu().numpy()
    if isinstance(features, (str, bytes, dict)) or features is None or isinstance(features, bool):
        raise DataError(f"features must be numbers (extractor.infer(image), a numpy array or a list), "
                        f"not {quote(features)}.")
    try:
        array = np.asarray(features)
        if array.dtype == object or array.dtype.kind not in "iuf":
            raise TypeError
        with np.errstate(over="ignore"):  # too big for float32 becomes inf, refused below
            vector = array.astype(np.float32).reshape(-1)
    except (TypeError, ValueError, OverflowError):
        raise DataError(f"features must be a flat list or array of numbers, not {quote(features)}.") from None
    if vector.size == 0 or vector.size > MAX_FEATURES:
        raise DataError(f"features must hold between 1 and {MAX_FEATURES} numbers, not {vector.size}.")
    if not np.isfinite(vector).all():
        raise DataError("features contain NaN or infinite numbers: check the picture or the numbers you pass.")
    return vector
