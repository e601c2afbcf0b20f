"""Teachable Machine image exports: three real ones, by three people, run as they do in TF.js.

The exports in ../shared/data/teachable_machine/ each hold a MobileNetV2 (alpha 0.35) base and a
small head. py5ml and real TF.js 4.22 (in node) must agree on their outputs for scikit-image's
photographs (prepared as Teachable Machine does) and for random inputs, and on the base's features.
"""

import asyncio
import os
import re
import time

import numpy as np
import pytest
import torch
from PIL import Image

import py5ml
from py5ml import DataError, ModelFileError, image_classifier, load_model
from py5ml.clock._scheduler import get_scheduler
from py5ml.vision._backbones import load_backbone
from py5ml.vision._capture_sources import resize
from py5ml.vision._tfjs_preprocess import prepare
from conftest import python_run
from tfjs_node import ROOT, TEACHABLE, TM_EXPORTS, need_shared, pictures, tfjs_predict

LABELS = {"bricks_phone": ["Bricks", "Handphone", "Unknown"], "drowsiness": ["Class 1", "drowsy"],
          "rock_paper_scissors_mask": ["노마스크", "마스크", "가위", "바위", "보"]}
SKETCH = ROOT / "sketches" / "teachable_machine" / "teachable_machine.py"


def export(name):
    return need_shared(TEACHABLE / name) / "model.json"


def inputs():
    """The three photographs prepared as Teachable Machine does, then two random pictures."""
    real = [prepare(image, "teachable_machine", 224) for image in pictures().values()]
    noise = np.random.default_rng(5).uniform(-1, 1, (2, 224, 224, 3)).astype(np.float32)
    return np.concatenate([np.stack(real), noise])


@pytest.mark.parametrize("name", TM_EXPORTS)
def test_an_export_loads_with_its_labels(name):
    loaded = load_model(export(name))
    assert (loaded.source, loaded.input_shape, loaded.labels) == ("teachable-machine", (224, 224, 3), LABELS[name])
    assert loaded.metadata["image_size"] == 224 and loaded.metadata["teachable_machine"]["tmVersion"].startswith("2.4.")


@pytest.mark.parametrize("name", TM_EXPORTS)
def test_tfjs_and_py5ml_agree(name, tmp_path):
    x = inputs()
    expected, expected_base = tfjs_predict(export(name), x, tmp_path, base=True)
    with torch.inference_mode():
        ours = load_model(export(name)).model(torch.from_numpy(x)).numpy()
        base = load_backbone("MobileNetV2_0.35", weights=export(name), layer="spatial", device="cpu").trunk(torch.from_numpy(x)).numpy()
    assert np.abs(ours - expected).max() <= 1e-5  # the class probabilities
    assert np.abs(base.mean(axis=(1, 2)) - expected_base.mean(axis=(1, 2))).max() <= 1e-5  # what the head reads
    assert np.abs(base - expected_base).max() <= 1e-4  # the 7×7×1280 map (float32 rounding: see the README)
    assert (ours.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_the_centre_square_is_what_counts():
    rng = np.random.default_rng(1)
    square = rng.integers(0, 256, (200, 200, 3), dtype=np.uint8)
    wide = np.concatenate([rng.integers(0, 256, (200, 60, 3), dtype=np.uint8), square,
                           rng.integers(0, 256, (200, 60, 3), dtype=np.uint8)], axis=1)
    np.testing.assert_array_equal(prepare(wide, "teachable_machine", 224), prepare(square, "teachable_machine", 224))
    assert prepare(np.full((50, 80, 3), 254, np.uint8), "teachable_machine", 224).max() == pytest.approx(1.0)


@pytest.fixture(scope="module")
def bricks():
    classifier = image_classifier(export("bricks_phone"), device="cpu", top_k=2)
    return classifier.wait_until_ready(120)


def test_image_classifier_gives_the_models_top_results(bricks):
    picture = pictures()["coffee"]
    with torch.inference_mode():
        probs = load_model(export("bricks_phone")).model(torch.from_numpy(prepare(picture, "teachable_machine", 224)[None]))[0]
    results = asyncio.run(bricks.classify_async(picture))
    order = probs.argsort(descending=True)[:2].tolist()
    assert [r["label"] for r in results] == [LABELS["bricks_phone"][i] for i in order]
    assert [r["confidence"] for r in results] == pytest.approx([float(probs[i]) for i in order], abs=1e-6)
    assert bricks.labels == LABELS["bricks_phone"]


def step_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting on the scheduler"
        get_scheduler().step()
        time.sleep(0.005)


def test_classify_calls_back_on_a_later_frame_in_either_shape(bricks):
    got = []
    bricks.classify(lambda results: got.append(("results", results)), image=pictures()["cat"])
    bricks.classify(lambda error, results: got.append((error, results)), image=pictures()["cat"])
    assert got == []  # never during the call: the results come from the worker, on a later frame
    step_until(lambda: len(got) == 2)
    assert got[0][0] == "results" and got[1][0] is None and got[0][1] == got[1][1]
    assert len(got[0][1]) == 2


def test_errors_reach_an_error_first_callback(bricks):
    got = []
    with pytest.raises(DataError, match="classify\\(\\) needs a picture"):
        bricks.classify(lambda results: None)
    broken = image_classifier(ROOT / "tests" / "js" / "fixtures" / "ml5_feature_extractor" / "model.json", device="cpu")
    broken.classify(lambda error, results: got.append((error, results)), image=pictures()["cat"])
    step_until(lambda: got)
    assert isinstance(got[0][0], ModelFileError) and got[0][1] is None
    assert re.search(r"reads \(7, 7, 256\), not a square RGB picture.*feature_extractor", str(got[0][0]))


def test_a_tm_head_on_its_own_base_matches_the_whole_model(bricks):
    extractor = py5ml.feature_extractor("MobileNetV2_0.35", weights=export("bricks_phone"), device="cpu")
    head = extractor.classification()
    picture = pictures()["astronaut"]

    async def run():
        await head.load_async(export("bricks_phone"))
        return await head.classify_async(picture), await bricks.classify_async(picture)

    ours, whole = asyncio.run(run())
    assert head.labels == LABELS["bricks_phone"] and extractor.backbone.feature_shape == (1280,)
    assert [(r["label"], round(r["confidence"], 5)) for r in ours[:2]] == [(r["label"], round(r["confidence"], 5)) for r in whole]


def test_a_tm_head_refuses_other_backbones():
    extractor = py5ml.feature_extractor("EfficientNetLite0", device="cpu")
    head = extractor.classification()
    with pytest.raises(py5ml.BackboneError, match=r"MobileNetV2_0.35 \(mobilenet_v2_0.35, pooled.*weights='my_model/model.json'"):
        asyncio.run(head.load_async(export("drowsiness")))
    assert head.head is None


def test_bad_paths_are_refused_at_the_call():
    with pytest.raises(ModelFileError, match="model contains a NUL byte"):
        image_classifier("my_model\0/model.json")
    with pytest.raises(ModelFileError, match="model is too long for the file system"):
        image_classifier("m" * 300 + "/model.json")
    with pytest.raises(ModelFileError, match=r"model must be a file path \(a str or pathlib.Path\), not 42"):
        image_classifier(42)
    with pytest.raises(ModelFileError, match="weights contains a NUL byte"):
        py5ml.feature_extractor("MobileNetV2_0.35", weights="my\0model")


def run_sketch(display, tmp, *args):
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1")
    proc = python_run([SKETCH, *args], cwd=tmp, env=env, timeout=300)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_the_sketch_classifies_its_video_with_the_model(display, tmp_path):
    (tmp_path / "photos").mkdir()
    Image.fromarray(pictures()["coffee"]).save(tmp_path / "photos" / "coffee.png")
    proc = run_sketch(display, tmp_path, "--model", TEACHABLE / "drowsiness", "--source", f"images:{tmp_path / 'photos'}",
                      "--frames", "150", "--screenshot", tmp_path / "shot.png")
    assert "model ready, labels ['Class 1', 'drowsy']" in proc.stdout
    frame = resize(pictures()["coffee"], (320, 240))  # what the Capture hands the classifier
    with torch.inference_mode():
        probs = load_model(export("drowsiness")).model(torch.from_numpy(prepare(frame, "teachable_machine", 224)[None]))[0]
    match = re.search(r"label=(.+) confidence=([0-9.]+) results=(\d+)", proc.stdout)
    assert match and match.group(1) == LABELS["drowsiness"][int(probs.argmax())]
    assert float(match.group(2)) == pytest.approx(float(probs.max()), abs=1e-3) and int(match.group(3)) >= 10
    shot = np.asarray(Image.open(tmp_path / "shot.png").convert("RGB")).astype(int)
    assert shot.shape == (600, 640, 3) and shot[:480].std() > 20  # the photograph
    assert (np.abs(shot[540:590, 160:480] - [90, 200, 120]).max(axis=2) < 30).sum() > 100  # a confidence bar


def test_the_sketch_without_a_model_says_what_to_do(display, tmp_path):
    proc = run_sketch(display, tmp_path, "--source", "synthetic", "--frames", "20", "--screenshot", tmp_path / "shot.png")
    assert proc.stdout.strip() == ""
    shot = np.asarray(Image.open(tmp_path / "shot.png").convert("RGB")).astype(int)
    assert (np.abs(shot[5:70, :] - [255, 220, 90]).max(axis=2) < 40).sum() > 200  # the yellow instructions
