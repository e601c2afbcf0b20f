"""ml5 0.x's MobileNet v1 and the featureExtractor heads ml5 saves, checked against real TF.js.

tests/js/mobilenet_v1.js rebuilds MobileNet v1 (alpha 0.25) with TF.js's own layers API and
prepares pictures with ml5 0.x's imgToTensor; tests/js/make_ml5_heads.js trains heads the way ml5
0.x and 1.x build them and saves them the way each saves. py5ml must compute the same features,
the same ImageNet answers and the same head outputs, and its own ml5-layout save must load in TF.js.
"""

import asyncio
import json

import numpy as np
import pytest
import torch

import py5ml
from py5ml import BackboneError, ModelFileError, load_model
from py5ml.vision import _tfjs_backbones
from py5ml.vision._backbones import load_backbone
from py5ml.vision._tfjs_backbones import mobilenet_v1
from py5ml.vision._tfjs_preprocess import prepare
from tfjs_node import MOBILENET_V1, need_shared, pictures, run_node, tfjs_predict, write_pictures

CAT_CLASSES = range(281, 286)  # tabby, tiger cat, Persian, Siamese, Egyptian cat
ESPRESSO = 967


@pytest.fixture(scope="module")
def weights():
    return need_shared(MOBILENET_V1)


@pytest.fixture(scope="module")
def tfjs_v1(weights, tmp_path_factory):
    """TF.js's features (7×7×256) and ImageNet probabilities for the three photographs."""
    tmp = tmp_path_factory.mktemp("v1")
    run_node("mobilenet_v1.js", weights, write_pictures(tmp / "pictures", pictures()), tmp / "out")
    read = lambda i, kind, shape: np.fromfile(tmp / "out" / f"{i}.{kind}.bin", "<f4").reshape(shape)  # noqa: E731
    return [(read(i, "features", (7, 7, 256)), read(i, "probs", (1000,))) for i in range(3)]


@pytest.fixture(scope="module")
def backbone(weights):
    return load_backbone("MobileNet", version=1, weights=weights, device="cpu")


def test_features_agree_with_tfjs_on_real_pictures(backbone, tfjs_v1):
    ours = backbone.extract(list(pictures().values()))
    for mine, (theirs, _) in zip(ours, tfjs_v1):
        # float32 rounding: even float64 torch differs from TF.js by 5e-5 on values up to 6
        assert np.abs(mine - theirs).max() <= 1e-4
        assert np.abs(mine.mean(axis=(0, 1)) - theirs.mean(axis=(0, 1))).max() <= 1e-5
    assert backbone.feature_shape == (7, 7, 256) and backbone.layer == "spatial"


def test_imagenet_answers_agree_with_tfjs(weights, tfjs_v1):
    model, where, _ = mobilenet_v1(weights, classifier=True)
    with torch.inference_mode():
        probs = model(torch.from_numpy(np.stack([prepare(p, "ml5", 224) for p in pictures().values()]))).numpy()
    theirs = np.stack([p for _, p in tfjs_v1])
    assert np.abs(probs - theirs).max() <= 1e-5
    assert (probs.argmax(axis=1) == theirs.argmax(axis=1)).all()
    assert probs[0].argmax() in CAT_CLASSES and probs[1].argmax() == ESPRESSO and where == str(weights)


def test_image_classifier_mobilenet_gives_ml5s_top_three(weights):
    classifier = py5ml.image_classifier("MobileNet", weights=weights, device="cpu").wait_until_ready(120)
    results = asyncio.run(classifier.classify_async(pictures()["coffee"]))
    assert [r["label"] for r in results] == ["espresso", "cup", "coffee mug"]
    assert results[0]["confidence"] > 0.9 and len(classifier.labels) == 1000


def test_mobilenet_v1_downloads_once_from_ml5s_url(weights, tmp_path, monkeypatch):
    """The online path, served from a local copy: ml5's URL becomes a file:// URL."""
    monkeypatch.setattr(_tfjs_backbones.v1, "ML5_URL", (weights / "model.json").as_uri())
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    first = load_backbone("MobileNet", version=1, device="cpu")
    cached = tmp_path / "hub" / "py5ml" / "mobilenet_v1_0.25_224"
    assert first.weights == str(cached) and len(list(cached.glob("group*-shard1of1"))) == 55
    monkeypatch.setattr(_tfjs_backbones.v1, "ML5_URL", "file:///nowhere/model.json")  # a second load needs no network
    again = load_backbone("MobileNet", version=1, device="cpu")
    np.testing.assert_array_equal(again.extract([pictures()["cat"]]), first.extract([pictures()["cat"]]))


def test_offline_without_the_files_says_where_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setattr(_tfjs_backbones.v1, "ML5_URL", (tmp_path / "missing" / "model.json").as_uri())
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    with pytest.raises(BackboneError, match=r"Could not download ml5's MobileNet v1.*pass weights='that/folder'"):
        load_backbone("MobileNet", version=1, device="cpu")
    with pytest.raises(ModelFileError, match="is not a model.json or a folder holding one"):
        load_backbone("MobileNet", version=1, weights=tmp_path, device="cpu")


def test_weights_arguments_that_are_not_paths_are_refused_at_the_call():
    with pytest.raises(ModelFileError, match=r"weights must be a file path \(a str or pathlib.Path\), not 3.5"):
        py5ml.feature_extractor("MobileNet", version=1, weights=3.5)
    with pytest.raises(ModelFileError, match="weights is too long for the file system"):
        py5ml.feature_extractor("MobileNet", version=1, weights="w" * 5000)


def test_random_weights_leave_torchs_random_state_alone():
    before = torch.random.get_rng_state()
    backbone = load_backbone("MobileNet", version=1, weights=None, layer="pooled", device="cpu")
    assert backbone.extract([pictures()["cat"]]).shape == (1, 256)
    assert torch.equal(torch.random.get_rng_state(), before)


@pytest.fixture(scope="module")
def ml5_heads(weights, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ml5_heads")
    run_node("make_ml5_heads.js", weights, write_pictures(tmp / "pictures", pictures()), tmp)
    return tmp


def expected(folder):
    return json.loads((folder / "expected.json").read_text())


@pytest.mark.parametrize("case, shape", [("ml5_0x_head", (7, 7, 256)), ("ml5_1x_head", (256,))])
def test_ml5_heads_load_and_match_tfjs(ml5_heads, case, shape):
    folder = ml5_heads / case
    loaded = load_model(folder / "model.json")
    features = np.fromfile(folder / "features.bin", "<f4").reshape(3, *shape)
    with torch.inference_mode():
        ours = loaded.model(torch.from_numpy(features)).numpy()
    assert np.abs(ours - expected(folder)["outputs"]).max() <= 1e-5
    assert (loaded.source, loaded.labels, loaded.input_shape) == ("ml5-feature-extractor", ["cat", "coffee", "astronaut"], shape)


def test_ml5_joint_save_classifies_pictures_like_tfjs(ml5_heads):
    folder = ml5_heads / "ml5_0x_joint"
    classifier = py5ml.image_classifier(folder / "model.json", device="cpu").wait_until_ready(120)
    outputs = expected(folder)["outputs"]
    for picture, row in zip(pictures().values(), outputs):
        results = {r["label"]: r["confidence"] for r in asyncio.run(classifier.classify_async(picture))}
        assert [results[label] for label in ["cat", "coffee", "astronaut"]] == pytest.approx(row, abs=1e-5)


@pytest.mark.parametrize("case, layer", [("ml5_0x_head", None), ("ml5_0x_joint", None), ("ml5_1x_head", "pooled")])
def test_ml5_heads_load_on_feature_extractor_v1_and_classify(weights, ml5_heads, case, layer):
    extractor = py5ml.feature_extractor("MobileNet", version=1, weights=weights, device="cpu",
                                        **({"layer": layer} if layer else {}))
    classifier = extractor.classification()

    async def run():
        await classifier.load_async(ml5_heads / case / "model.json")
        return [(await classifier.classify_async(picture))[0]["label"] for picture in pictures().values()]

    tfjs_says = [labels[int(np.argmax(row))] for labels, row in [(expected(ml5_heads / case)["labels"], r)
                                                                for r in expected(ml5_heads / case)["outputs"]]]
    assert asyncio.run(run()) == tfjs_says == ["cat", "coffee", "astronaut"]  # as in TF.js: what it was trained to say


def test_an_ml5_1x_head_on_mobilenet_v2_features_names_what_would_fit(weights, ml5_heads):
    classifier = py5ml.feature_extractor("MobileNet", version=1, weights=weights, device="cpu").classification()
    message = r"trained by ml5 on TF Hub MobileNet v2 feature vectors \(1280 numbers\), and py5ml has no backbone[\s\S]*What fits"
    with pytest.raises(BackboneError, match=message):
        asyncio.run(classifier.load_async(ml5_heads / "ml5_1x_v2" / "model.json"))
    assert classifier.head is None


def test_the_ml5_example_file_plans_as_ml5_wrote_it():
    """ml5's own FeatureExtractor example (its weights are not in the snapshot): a functional Model head."""
    from py5ml.formats._model_files import _describe
    from py5ml.formats._tfjs_model import plan_model

    path = need_shared(MOBILENET_V1.parent / "ml5_examples" / "FeatureExtractor" / "FeatureExtractor_Image_Classification" / "model" / "model.json")
    document = json.loads(path.read_text())
    plan = plan_model(document["modelTopology"])
    assert (plan.input_shape, plan.output_shape) == ((7, 7, 256), (2,))
    source, metadata, labels = _describe(document, path, plan.output_shape, plan.input_shape)
    assert (source, labels, metadata["version"], metadata["layer"]) == ("ml5-feature-extractor", ["cat", "dog"], "mobilenet_v1_0.25", "spatial")
    with pytest.raises(ModelFileError, match="'model.weights.bin' is missing"):
        load_model(path)


@pytest.fixture(scope="module")
def trained(weights):
    extractor = py5ml.feature_extractor("MobileNet", version=1, weights=weights, device="cpu")
    classifier = extractor.classification(epochs=8)

    async def run():
        for label, picture in pictures().items():
            for shift in (0, 12, 24):
                await classifier.add_image_async(np.roll(picture, shift, axis=1), label)
        await classifier.train_async()

    asyncio.run(run())
    return extractor, classifier


def test_save_format_ml5_loads_in_tfjs_with_the_same_results(trained, tmp_path):
    extractor, classifier = trained
    path = classifier.save(tmp_path / "ml5", format="ml5")
    document = json.loads(path.read_text())
    assert document["ml5Specs"] == {"mapStringToIndex": ["cat", "coffee", "astronaut"]}
    assert [layer["class_name"] for layer in document["modelTopology"]["config"]["layers"]] == ["Model", "Sequential"]
    x = np.stack([prepare(p, "ml5", 224) for p in pictures().values()])
    theirs = tfjs_predict(path, x, tmp_path / "tfjs")
    ours = [asyncio.run(classifier.classify_async(p)) for p in pictures().values()]
    for row, results in zip(theirs, ours):
        by_label = {r["label"]: r["confidence"] for r in results}
        assert [by_label[label] for label in classifier.labels] == pytest.approx(row.tolist(), abs=1e-5)


def test_save_format_ml5_loads_back_in_py5ml(trained, tmp_path):
    extractor, classifier = trained
    path = classifier.save(tmp_path, "again", format="ml5")
    reloaded = extractor.classification()
    picture = pictures()["coffee"]

    async def run():
        await reloaded.load_async(path)
        return await reloaded.classify_async(picture), await classifier.classify_async(picture)

    mine, original = asyncio.run(run())
    assert mine == original and reloaded.labels == classifier.labels


def test_save_format_ml5_needs_ml5s_backbone(tmp_path):
    extractor = py5ml.feature_extractor("EfficientNetLite0", device="cpu")
    classifier = extractor.classification(epochs=1)

    async def run():
        for label, picture in list(pictures().items())[:2]:
            await classifier.add_image_async(picture, label)
        await classifier.train_async()

    asyncio.run(run())
    with pytest.raises(py5ml.DataError, match=r"trained on feature_extractor\('MobileNet', version=1\)"):
        classifier.save(tmp_path, format="ml5")
    with pytest.raises(py5ml.DataError, match="format must be one of 'py5ml', 'ml5', not 'keras'"):
        classifier.save(tmp_path, format="keras")
    assert list(tmp_path.iterdir()) == []

