"""What ml5's featureExtractor files say about themselves: labels, task, and the backbone they need.

ml5 0.x (``ml5.featureExtractor('MobileNet')``) saves ``model.json`` with ``ml5Specs.mapStringToIndex``
(the labels). Old versions saved only the head, which reads MobileNet v1's 7×7×256 feature map;
newer 0.x versions save MobileNet and the head together (a picture goes in). ml5 1.x saves a
small Dense head with ``userDefinedMetadata: {task, labelIndex}`` (or the same keys in
``model_meta.json``); it reads TF Hub feature vectors, MobileNet v2's 1280 numbers by default.

Each head is described in py5ml's own metadata words (``backbone``, ``version``, ``layer``), so a
``TransferModel`` can say which feature extractor it needs, or that py5ml has none that fits.

Example:
    >>> describe_head((7, 7, 256), ["cat", "dog"], "0.x")["version"]
    'mobilenet_v1_0.25'
    >>> ml5_specs_labels({"mapStringToIndex": ["cat"]}, 2)
    ['cat', '1']
"""

from __future__ import annotations

from .._checks import quote
from .._errors import ModelFileError
from ._json_files import labels_list

ML5_V1 = "mobilenet_v1_0.25"  # the backbone ml5 0.x's featureExtractor('MobileNet') uses
# Feature shapes ml5 heads read -> (version, layer, in words). Versions py5ml cannot build are marked.
HEAD_INPUTS = {
    (7, 7, 256): (ML5_V1, "spatial", "MobileNet v1 (alpha 0.25) 7×7×256 feature maps"),
    (256,): (ML5_V1, "pooled", "MobileNet v1 (alpha 0.25) feature vectors (256 numbers)"),
    (512,): ("tfhub_mobilenet_v1_0.50", "pooled", "MobileNet v1 alpha 0.5 feature vectors (512 numbers)"),
    (768,): ("tfhub_mobilenet_v1_0.75", "pooled", "MobileNet v1 alpha 0.75 feature vectors (768 numbers)"),
    (1024,): ("tfhub_mobilenet_v1_1.00", "pooled", "MobileNet v1 alpha 1.0 feature vectors (1024 numbers)"),
    (1280,): ("tfhub_mobilenet_v2", "pooled", "TF Hub MobileNet v2 feature vectors (1280 numbers)"),
}


def ml5_specs_labels(specs, output_count: int):
    """Labels from ml5 0.x's ``ml5Specs.mapStringToIndex``; outputs without one show their index, as in ml5."""
    labels = specs.get("mapStringToIndex") if isinstance(specs, dict) else None
    if not isinstance(labels, list) or not labels:
        return None
    if len(labels) > output_count:
        raise ModelFileError(
            f"ml5Specs.mapStringToIndex must list at most {output_count} label strings (the head's outputs), "
            f"not {len(labels)}."
        )
    labels = labels + [str(index) for index in range(len(labels), output_count)]
    return labels_list(labels, output_count, "ml5Specs.mapStringToIndex")


def ml5_v1_labels(meta: dict, output_count: int):
    """``(task, labels)`` from ml5 1.x's ``{task, labelIndex}``; numbers become their text, as ml5 shows them."""
    task = meta.get("task", "classification")
    if task not in ("classification", "regression"):
        raise ModelFileError(f"The ml5 metadata's task must be 'classification' or 'regression', not {quote(task)}.")
    labels = meta.get("labelIndex")
    if task == "regression" or labels in (None, []):
        return task, None
    if not isinstance(labels, list):
        raise ModelFileError(f"The ml5 metadata's labelIndex must be a list of labels, not {quote(labels)}.")
    text = [str(int(x)) if isinstance(x, (int, float)) and not isinstance(x, bool) and float(x).is_integer() else x
            for x in labels]
    return task, labels_list(text, output_count, "The ml5 metadata's labelIndex")


def is_ml5_v1_meta(meta) -> bool:
    """ml5 1.x featureExtractor metadata: a dict with ``labelIndex`` (and usually ``task``)."""
    return isinstance(meta, dict) and "labelIndex" in meta


def describe_head(input_shape: tuple, labels, ml5_version: str, task: str = None) -> dict:
    """py5ml metadata for an ml5 head: task, labels, and the backbone its input shape means."""
    task = task or ("classification" if labels else "regression")
    meta = {"task": task, "labels": labels, "ml5": ml5_version, "feature_shape": list(input_shape)}
    known = HEAD_INPUTS.get(tuple(input_shape))
    if known is not None:
        meta.update(backbone="MobileNet", version=known[0], layer=known[1])
    return meta


def missing_backbone_message(saved: dict, what: str) -> str:
    """Why an ml5 head cannot run in py5ml (its backbone is not here), and what would fit instead."""
    words = next((w for v, _, w in HEAD_INPUTS.values() if v == saved.get("version")), str(saved.get("version")))
    return (
        f"{what} was trained by ml5 on {words}, and py5ml has no backbone that computes those "
        "(py5ml's other 1280-number backbones give different features, so the head would guess). "
        "What fits: heads trained in py5ml; ml5 0.x heads (MobileNet v1 7×7×256, load them on "
        "feature_extractor('MobileNet', version=1)); ml5 1.x heads trained with {version: 1, alpha: 0.25} "
        "(256 numbers: feature_extractor('MobileNet', version=1, layer='pooled')). Or retrain the head in py5ml."
    )


def is_available(version) -> bool:
    """True for backbone versions py5ml can build (the tfhub_* ones only exist in ml5 1.x)."""
    return not str(version).startswith("tfhub_")
