"""The feature extractor's transfer learning: examples, training, results, files, errors.

Most tests use EfficientNet-Lite0 (pretrained, offline); MobileNet comes from a local weights
file or random weights, since its ImageNet weights may not be downloadable where tests run.
"""

import asyncio
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image

from py5ml._errors import BackboneError, DataError, ModelFileError
from py5ml.vision._feature_extractor import feature_extractor
from py5ml.vision._safetensors import save_safetensors
from py5ml.vision._image_input import to_rgb_array
from py5ml.clock._scheduler import get_scheduler

COLORS = {"red": (220, 40, 40), "green": (40, 200, 60), "blue": (40, 60, 220)}


def picture(color, seed=0):
    rng = np.random.default_rng(seed)
    noise = rng.integers(-25, 25, (96, 128, 3))
    return np.clip(np.array(color) + noise, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def extractor():
    fe = feature_extractor("EfficientNetLite0", device="cpu")
    fe.wait_until_ready(60)
    return fe


async def collect(classifier, per_label=6):
    for name, color in COLORS.items():
        for i in range(per_label):
            await classifier.add_image_async(picture(color, i), name)


def test_any_number_of_labels_train_and_classify(extractor):
    classifier = extractor.classification(epochs=15)

    async def run():
        await collect(classifier)
        await classifier.train_async()
        return await classifier.classify_async(picture(COLORS["blue"], 99))

    results = asyncio.run(run())
    assert [r["label"] for r in results][0] == "blue"
    assert sorted(r["label"] for r in results) == ["blue", "green", "red"]
    confidences = [r["confidence"] for r in results]
    assert confidences == sorted(confidences, reverse=True) and abs(sum(confidences) - 1) < 1e-5
    assert classifier.example_counts == {"red": 6, "green": 6, "blue": 6}


def test_while_training_gets_every_batch_loss_then_none(extractor):
    classifier = extractor.classification(epochs=3, batch_size=4)
    seen = []

    async def run():
        await collect(classifier, per_label=2)  # 6 examples: 2 batches an epoch
        await classifier.train_async(seen.append)

    asyncio.run(run())
    assert len(seen) == 3 * 2 + 1 and seen[-1] is None
    assert all(isinstance(loss, float) for loss in seen[:-1])


def test_training_without_examples_says_what_to_do(extractor):
    with pytest.raises(DataError, match="Add some examples before training!"):
        extractor.classification().train()


def test_classifying_before_training_says_what_to_do(extractor):
    with pytest.raises(DataError, match="Train the model \\(or load one\\) before"):
        extractor.classification().classify(print, image=picture(COLORS["red"]))


def test_add_image_with_only_a_label_needs_a_source(extractor):
    with pytest.raises(DataError, match="needs a source"):
        extractor.classification().add_image("happy")


def test_regression_predicts_a_value_that_survives_save_and_load(extractor, tmp_path):
    regressor = extractor.regression(epochs=30)

    async def run():
        for i in range(8):
            await regressor.add_image_async(picture((i * 30, 0, 0), i), i / 7)
        await regressor.train_async()
        return await regressor.predict_async(picture((100, 0, 0)))

    prediction = asyncio.run(run())
    assert set(prediction) == {"value"} and isinstance(prediction["value"], float)
    reloaded = extractor.regression()
    asyncio.run(reloaded.load_async(regressor.save(tmp_path)))
    again = asyncio.run(reloaded.predict_async(picture((100, 0, 0))))
    assert abs(again["value"] - prediction["value"]) < 1e-5
    with pytest.raises(DataError, match="needs a number"):
        regressor.add_image(picture((0, 0, 0)), "happy")


def test_examples_are_saved_and_more_can_be_added_later(extractor, tmp_path):
    first = extractor.classification()
    asyncio.run(collect(first, per_label=2))
    path = first.save_examples(tmp_path / "examples.npz")
    with np.load(path, allow_pickle=False) as data:  # plain arrays, no pickle
        assert data["features"].shape == (6, 1280)

    later = extractor.classification()

    async def run():
        await later.add_image_async(picture(COLORS["red"], 50), "red")
        return await later.load_examples_async(path)

    assert asyncio.run(run()) == 7
    assert later.example_counts == {"red": 3, "green": 2, "blue": 2}


def test_callbacks_run_on_the_frame_clock():
    ready, results = [], []
    fe = feature_extractor("EfficientNetLite0", device="cpu", callback=lambda: ready.append(True))
    classifier = fe.classification()
    scheduler = get_scheduler()
    step_until(scheduler, lambda: ready)
    for i in range(3):
        classifier.add_image(picture(COLORS["red"], i), "red")
        classifier.add_image(picture(COLORS["green"], i), "green")
    task = classifier.train()  # right away: the examples are still being computed
    step_until(scheduler, lambda: task.is_done)
    assert task.exception is None and classifier.example_counts == {"red": 3, "green": 3}
    classifier.classify(results.append, image=picture(COLORS["green"], 7))
    step_until(scheduler, lambda: results)
    assert {r["label"] for r in results[0]} == {"red", "green"}


def step_until(scheduler, condition, timeout=60):
    import time

    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        scheduler.step()
        time.sleep(1 / 120)


@pytest.fixture(scope="module")
def trained(extractor, tmp_path_factory):
    classifier = extractor.classification(epochs=10)

    async def run():
        await collect(classifier, per_label=3)
        await classifier.train_async()

    asyncio.run(run())
    folder = tmp_path_factory.mktemp("head")
    return classifier, classifier.save(folder)


def test_saved_head_keeps_labels_and_backbone(trained):
    _, path = trained
    meta = json.loads(path.read_text())["userDefinedMetadata"]["py5ml"]
    assert meta["labels"] == ["red", "green", "blue"]
    assert (meta["backbone"], meta["version"], meta["layer"], meta["feature_shape"]) == (
        "EfficientNetLite0", "efficientnet_lite0", "pooled", [1280])


def test_loading_a_head_on_the_wrong_backbone_names_the_right_one(trained):
    _, path = trained
    other = feature_extractor("MobileNet", weights=None, device="cpu").classification()
    with pytest.raises(BackboneError, match=r"trained on EfficientNetLite0 \(efficientnet_lite0, pooled features\).*"
                       r"Load it with feature_extractor\('EfficientNetLite0', layer='pooled'\)"):
        asyncio.run(other.load_async(path))
    assert other.head is None


def test_a_failed_load_leaves_the_model_as_it_was(trained, tmp_path):
    classifier, _ = trained
    head, labels = classifier.head, list(classifier.labels)
    (tmp_path / "model.json").write_text("{ not json")
    with pytest.raises(ModelFileError):
        asyncio.run(classifier.load_async(tmp_path / "model.json"))
    assert classifier.head is head and classifier.labels == labels


FRESH_PROCESS = textwrap.dedent("""
    import asyncio, json, sys
    import numpy as np
    from py5ml.vision._feature_extractor import feature_extractor
    weights, folder, mode = sys.argv[1:4]
    colors = {"red": (220, 40, 40), "green": (40, 200, 60), "blue": (40, 60, 220)}
    def picture(color, seed):
        rng = np.random.default_rng(seed)
        return np.clip(np.array(color) + rng.integers(-25, 25, (96, 128, 3)), 0, 255).astype(np.uint8)
    classifier = feature_extractor("MobileNet", weights=weights, device="cpu").classification(epochs=5)
    async def run():
        if mode == "train":
            for name, color in colors.items():
                for i in range(3):
                    await classifier.add_image_async(picture(color, i), name)
            await classifier.train_async()
            classifier.save(folder)
        else:
            await classifier.load_async(folder + "/model.json")
        out = []
        for seed, color in enumerate(colors.values()):
            results = await classifier.classify_async(picture(color, 100 + seed))
            out.append({r["label"]: r["confidence"] for r in results})
        print(json.dumps(out))
    asyncio.run(run())
""")


def test_save_then_load_in_a_fresh_process_gives_identical_confidences(tmp_path):
    weights = tmp_path / "mobilenet_v3_small.safetensors"
    save_safetensors(torchvision.models.mobilenet_v3_small().state_dict(), weights)  # a local weights file

    def run(mode):
        proc = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(weights), str(tmp_path), mode],
                              capture_output=True, text=True, timeout=180, check=True)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    before, after = run("train"), run("load")
    for b, a in zip(before, after):
        assert b.keys() == a.keys()
        for label in b:
            assert abs(b[label] - a[label]) <= 1e-6


def test_pictures_come_in_many_forms():
    gray = np.zeros((10, 12), np.uint8)
    floats = np.full((10, 12, 3), 0.5, np.float32)
    rgba = np.zeros((10, 12, 4), np.uint8)
    pil = Image.new("RGB", (12, 10), (1, 2, 3))
    for image in (gray, floats, rgba, pil):
        out = to_rgb_array(image)
        assert out.shape == (10, 12, 3) and out.dtype == np.uint8
    assert to_rgb_array(floats)[0, 0, 0] == 127 and tuple(to_rgb_array(pil)[0, 0]) == (1, 2, 3)
    with pytest.raises(DataError, match="Cannot read a picture from str"):
        to_rgb_array("happy.png")


def test_a_spatial_head_is_saved_channels_last_and_loads_back(tmp_path):
    fe = feature_extractor("MobileNet", weights=None, layer="spatial", device="cpu")
    classifier = fe.classification(epochs=2)

    async def run():
        for i in range(4):
            await classifier.add_image_async(picture((i * 60, 0, 0), i), "ab"[i % 2])
        await classifier.train_async()
        path = classifier.save(tmp_path)
        reloaded = fe.classification()
        await reloaded.load_async(path)
        probe = picture((90, 0, 0), 9)
        return path, await classifier.classify_async(probe), await reloaded.classify_async(probe)

    path, before, after = asyncio.run(run())
    first = json.loads(path.read_text())["modelTopology"]["config"]["layers"][0]["config"]
    assert first["batch_input_shape"] == [None, 7, 7, 576]  # like ml5's 7×7 map, channels last
    assert before == after


def test_a_saved_head_loads_in_real_tfjs_with_the_same_outputs(trained, tmp_path):
    """The head the classifier saves, loaded by TF.js 4.22 itself: same layers, same softmax."""
    import shutil

    from conftest import ROOT
    from py5ml import load_model

    js = ROOT / "tests" / "js"
    if shutil.which("node") is None or not (js / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.skip("TF.js (node + tests/js/node_modules) is set up by scripts/setup.sh")
    _, path = trained
    loaded = load_model(path)
    features = np.random.default_rng(0).random((5, *loaded.input_shape), dtype=np.float32)
    (tmp_path / "in.json").write_text(json.dumps(features.tolist()))
    proc = subprocess.run(["node", "predict.js", path, tmp_path / "in.json", tmp_path / "out.json"],
                          cwd=js, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads((tmp_path / "out.json").read_text())
    assert result["inputShape"] == [None, *loaded.input_shape]
    assert [layer["className"] for layer in result["layers"]][-1] == "Dense"
    assert result["metadata"]["py5ml"]["labels"] == ["red", "green", "blue"]
    ours = loaded.model(torch.from_numpy(features)).detach().numpy()
    assert np.abs(np.array(result["outputs"]) - ours).max() <= 1e-5


def test_an_ml5_mobilenet_v1_head_on_another_backbone_names_the_one_that_fits(extractor):
    """ml5 0.x heads read MobileNet v1's 7×7×256 map: EfficientNet's features would only give guesses."""
    from conftest import ROOT

    head = ROOT / "tests" / "js" / "fixtures" / "ml5_feature_extractor" / "model.json"
    classifier = extractor.classification()
    with pytest.raises(BackboneError, match=r"mobilenet_v1_0.25, spatial[\s\S]*feature_extractor\('MobileNet', version=1"):
        asyncio.run(classifier.load_async(head))
    assert classifier.head is None and classifier.labels == []  # nothing half-loaded
