"""featureExtractor as ml5 spells it: ``infer`` for KNN, ml5's option names, result shapes, and
issue 10's checks (one label, empty or list labels, damaged examples files).

The backbone is ml5 0.x's own MobileNet v1 (alpha 0.25) from the shared weights folder: offline,
and small enough to be quick on a busy machine. ``infer`` is compared with real TF.js.
"""

import asyncio
import json
import time

import numpy as np
import pytest
from PIL import Image

import py5ml
from py5ml import DataError, KNNClassifier, TransferModel
from tfjs_node import MOBILENET_V1, need_shared, pictures, run_node, write_pictures

COLORS = {"red": (220, 40, 40), "green": (40, 200, 60), "blue": (40, 60, 220)}


def picture(color, seed=0):
    rng = np.random.default_rng(seed)
    return np.clip(np.array(color) + rng.integers(-25, 25, (96, 128, 3)), 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def extractor():
    fe = py5ml.feature_extractor("MobileNet", version=1, weights=str(need_shared(MOBILENET_V1)), device="cpu",
                                 epochs=8, hidden_units=32)
    fe.wait_until_ready(120)
    yield fe
    fe.close()


# -- infer: the features KNN needs ---------------------------------------------------------
def test_infer_is_the_pooled_mobilenet_embedding_tfjs_computes(extractor, tmp_path):
    photos = pictures()
    run_node("mobilenet_v1.js", MOBILENET_V1, write_pictures(tmp_path / "pictures", photos), tmp_path / "out")
    for i, photo in enumerate(photos.values()):
        tfjs_map = np.fromfile(tmp_path / "out" / f"{i}.features.bin", "<f4").reshape(7, 7, 256)
        ours = extractor.infer(photo)
        assert ours.shape == (256,) and ours.dtype == np.float32
        np.testing.assert_allclose(ours, tfjs_map.mean(axis=(0, 1)), atol=2e-5)


def test_infer_takes_numpy_pil_and_capture_frames(extractor):
    photo = pictures()["cat"]
    from_numpy = extractor.infer(photo)
    np.testing.assert_allclose(extractor.infer(Image.fromarray(photo)), from_numpy, atol=1e-6)
    np.testing.assert_allclose(extractor.infer(photo.astype(np.float32) / 255), from_numpy, atol=1e-2)
    scene = py5ml.Capture("synthetic")
    try:
        assert extractor.infer(scene).shape == (256,)
        features = asyncio.run(extractor.infer_async(scene))
        assert features.shape == (256,) and np.isfinite(features).all()
    finally:
        scene.close()


def test_knn_on_inferred_features_tells_photographs_apart(extractor):
    rng = np.random.default_rng(0)
    photos = pictures()
    knn = KNNClassifier()
    for label, photo in photos.items():
        for _ in range(4):  # random crops of each photograph
            y, x = rng.integers(0, 60, 2)
            knn.add_example(extractor.infer(photo[y:y + 240, x:x + 240]), label)
    for label, photo in photos.items():
        y, x = rng.integers(0, 60, 2)
        result = knn.classify_sync(extractor.infer(photo[y:y + 230, x:x + 250]), k=3)
        assert result["label"] == label and result["confidencesByLabel"][label] >= 2 / 3


# -- ml5's option names ------------------------------------------------------------------
def test_ml5_options_reach_the_heads_and_the_head_may_override_them(extractor):
    assert extractor.classification().options["epochs"] == 8
    assert extractor.classification().options["hidden_units"] == 32
    head = extractor.regression(epochs=3, learning_rate=0.01, batch_size=4)
    assert (head.options["epochs"], head.options["learning_rate"], head.options["batch_size"]) == (3, 0.01, 4)
    head = extractor.classification(num_labels=3)
    assert head.options["num_labels"] == 3


@pytest.mark.parametrize("camel, snake", [("numLabels", "num_labels"), ("batchSize", "batch_size"),
                                          ("learningRate", "learning_rate"), ("hiddenUnits", "hidden_units")])
def test_ml5s_camel_case_names_the_py5ml_spelling(extractor, camel, snake):
    with pytest.raises(DataError, match=f"{camel} is ml5's spelling: use {snake}=... in py5ml"):
        py5ml.feature_extractor("MobileNet", weights=None, **{camel: 3})
    with pytest.raises(DataError, match=f"use {snake}="):
        extractor.classification(**{camel: 3})


@pytest.mark.parametrize("options, message", [
    ({"epochs": 0}, "epochs must be between 1 and 1000000, not 0"),
    ({"epochs": "10"}, "epochs must be a whole number"),
    ({"hidden_units": -5}, "hidden_units must be between 1 and 65536"),
    ({"learning_rate": "0.1"}, "learning_rate must be a number"),
    ({"learning_rate": 0}, r"learning_rate must be in \(0, 10\]"),
    ({"batch_size": 0.4}, "ml5's fraction of the examples; py5ml counts examples"),
    ({"batch_size": 0}, "batch_size must be at least 1"),
    ({"num_labels": 1}, "num_labels must be between 2 and 10000"),
    ({"optimizer": "adamw"}, "optimizer must be one of 'adam', 'sgd', 'rmsprop'"),
    ({"topk": 3}, "Unknown option 'topk'; the options are: batch_size, .*epochs, hidden_units"),
])
def test_bad_head_settings_are_refused_at_the_call(extractor, options, message):
    with pytest.raises(DataError, match=message):
        extractor.classification(**options)
    with pytest.raises(DataError, match=message):
        py5ml.feature_extractor("MobileNet", weights=None, **options)


def test_task_names_the_choices(extractor):
    assert TransferModel(extractor, task="regression").task == "regression"
    with pytest.raises(DataError, match="task must be one of 'classification', 'regression'"):
        TransferModel(extractor, task="regresion")


# -- result shapes and training as in ml5 -------------------------------------------------------
def test_classification_and_regression_give_ml5s_result_shapes(extractor):
    classifier, regressor = extractor.classification(), TransferModel(extractor, task="regression")
    losses = []

    async def run():
        for i in range(4):
            await classifier.add_image_async(picture(COLORS["red"], i), "red")
            await classifier.add_image_async(picture(COLORS["blue"], i), "blue")
            await regressor.add_image_async(picture(COLORS["red"], i), 0.0)
            await regressor.add_image_async(picture(COLORS["blue"], i), 1.0)
        await classifier.train_async(losses.append)
        await regressor.train_async()
        return await classifier.classify_async(picture(COLORS["blue"], 9)), await regressor.predict_async(picture(COLORS["blue"], 9))

    results, value = asyncio.run(run())
    assert [set(r) for r in results] == [{"label", "confidence"}] * 2 and results[0]["label"] == "blue"
    assert set(value) == {"value"} and isinstance(value["value"], float)
    assert losses[-1] is None and all(isinstance(loss, float) for loss in losses[:-1]) and len(losses) == 9


# -- issue 10: what a user gets wrong -----------------------------------------------------------
def test_training_with_one_label_is_refused_with_what_to_do(extractor):
    classifier = extractor.classification()

    async def run():
        for i in range(3):
            await classifier.add_image_async(picture(COLORS["red"], i), "happy")

    asyncio.run(run())
    message = r"All the examples are labelled 'happy': add examples for at least two labels"
    with pytest.raises(DataError, match=message):
        classifier.train()
    with pytest.raises(DataError, match=message):
        asyncio.run(classifier.train_async())
    assert classifier.head is None


def test_more_labels_than_num_labels_is_refused(extractor):
    classifier = extractor.classification(num_labels=2)

    async def run():
        for name, color in COLORS.items():
            await classifier.add_image_async(picture(color), name)
        await classifier.train_async()

    with pytest.raises(DataError, match="The examples have 3 labels but num_labels=2"):
        asyncio.run(run())


@pytest.mark.parametrize("label", ["", "  ", ["happy", "sad"], [], None, True, {"label": "x"}])
def test_empty_or_list_labels_are_refused_and_nothing_is_added(extractor, label):
    classifier = extractor.classification()
    with pytest.raises(DataError, match="must be a non-empty string such as 'happy'"):
        classifier.add_image(picture(COLORS["red"]), label)
    assert classifier.example_count == 0 and classifier._pending == []


def test_a_one_item_list_label_is_its_item(extractor):
    classifier = extractor.classification()
    asyncio.run(classifier.add_image_async(picture(COLORS["red"]), ["happy"]))
    assert classifier.example_counts == {"happy": 1}


@pytest.mark.parametrize("label", [float("nan"), "0.5", None, True])
def test_regression_needs_a_finite_number(extractor, label):
    with pytest.raises(DataError, match="A regression example needs a number"):
        extractor.regression().add_image(picture(COLORS["red"]), label)


def write_examples(path, features, labels, meta):
    np.savez(path, features=features, labels=labels, meta=np.asarray(json.dumps(meta)))
    return path


GOOD_META = {"format": "py5ml-examples-1", "task": "classification", "backbone": {}}


@pytest.mark.parametrize("features, labels, meta, message", [
    (np.zeros((2, 7, 7, 256)), np.array(["a", "b"]), [1, 2], "not a py5ml examples file"),
    (np.zeros((2, 7, 7, 256)), np.array(["a", "b"]), dict(GOOD_META, backbone=[1]), "damaged metadata"),
    (np.zeros((2, 7, 7, 256)), np.array(["a", "b"]), dict(GOOD_META, backbone={"version": [1]}), "damaged metadata"),
    (np.zeros((2, 7, 7, 256)), np.array(["a", "b"]), dict(GOOD_META, task="dance"), "damaged metadata"),
    (np.zeros((2, 10)), np.array(["a", "b"]), GOOD_META, r"Examples of shape \(10,\) do not fit"),
    (np.zeros((2, 7, 7, 256)), np.array(["a", ""]), GOOD_META, "non-empty string"),
    (np.full((2, 7, 7, 256), np.nan), np.array(["a", "b"]), GOOD_META, "NaN or infinite"),
    (np.zeros((3, 7, 7, 256)), np.array(["a", "b"]), GOOD_META, "not a py5ml examples file"),
    (np.array(["x", "y"]), np.array(["a", "b"]), GOOD_META, "not a py5ml examples file"),
])
def test_damaged_examples_files_are_refused_and_the_examples_stay(extractor, tmp_path, features, labels, meta, message):
    classifier = extractor.classification()
    asyncio.run(classifier.add_image_async(picture(COLORS["red"]), "kept"))
    path = write_examples(tmp_path / "examples.npz", features, labels, meta)
    with pytest.raises(DataError, match=message):
        asyncio.run(classifier.load_examples_async(path))
    assert classifier.example_counts == {"kept": 1}


def test_classify_callbacks_in_ml5_0x_shape_get_errors_too(extractor):
    classifier = extractor.classification()

    async def run():
        for i in range(3):
            await classifier.add_image_async(picture(COLORS["red"], i), "red")
            await classifier.add_image_async(picture(COLORS["blue"], i), "blue")
        await classifier.train_async()

    asyncio.run(run())
    got = []
    scheduler = py5ml.get_scheduler()
    classifier.classify(lambda error, results: got.append((error, results)), image=picture(COLORS["red"], 5))
    classifier.classify(lambda error, results: got.append((error, results)), image="not a picture")
    for _ in range(2000):
        if len(got) == 2:
            break
        scheduler.step()
        time.sleep(0.005)
    by_error = sorted(got, key=lambda pair: pair[0] is None)
    assert isinstance(by_error[0][0], DataError) and by_error[0][1] is None
    assert by_error[1][0] is None and by_error[1][1][0]["label"] == "red"
