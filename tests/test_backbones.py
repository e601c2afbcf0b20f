"""Backbones: EfficientNet-Lite0's real ImageNet weights, MobileNet from a local file, clear errors."""

import pickle

import numpy as np
import pytest
import torch
import torchvision
from skimage import data

from py5ml.vision._backbones import load_backbone, resolve_name
from py5ml.vision._safetensors import save_safetensors
from py5ml.vision._efficientnet_lite import efficientnet_lite0, pretrained_weights_path
from py5ml._errors import BackboneError

CAT_CLASSES = range(281, 286)  # tabby, tiger cat, Persian, Siamese, Egyptian cat
ESPRESSO = 967


@pytest.fixture(scope="module")
def lite():
    return load_backbone("EfficientNetLite0", device="cpu")


def imagenet_top1(backbone, image):
    net = backbone.trunk.net
    with torch.inference_mode():
        return int(net(backbone.to_tensor([image])).argmax())


def test_efficientnet_lite0_sees_a_cat_in_chelsea(lite):
    assert imagenet_top1(lite, data.chelsea()) in CAT_CLASSES


def test_efficientnet_lite0_sees_espresso_in_coffee(lite):
    assert imagenet_top1(lite, data.coffee()) == ESPRESSO


def test_efficientnet_lite0_weights_fit_every_key():
    state = torch.load(pretrained_weights_path(), weights_only=True)
    assert set(state) == set(efficientnet_lite0().state_dict())


@pytest.mark.parametrize("layer, shape", [("pooled", (1280,)), ("spatial", (7, 7, 1280))])
def test_efficientnet_features_have_the_promised_shape(layer, shape):
    backbone = load_backbone("EfficientNetLite0", layer=layer, weights=None, device="cpu")
    features = backbone.extract([np.zeros((240, 320, 3), np.uint8)])
    assert backbone.feature_shape == shape and features.shape == (1, *shape) and features.dtype == np.float32


def test_mobilenet_loads_a_local_safetensors_file(tmp_path):
    source = torchvision.models.mobilenet_v3_small().eval()
    path = save_safetensors(source.state_dict(), tmp_path / "mine.safetensors")
    backbone = load_backbone("MobileNet", weights=str(path), device="cpu")
    image = data.chelsea()
    with torch.inference_mode():
        expected = source.features(backbone.to_tensor([image])).mean(dim=(2, 3)).numpy()
    np.testing.assert_allclose(backbone.extract([image]), expected, rtol=1e-5, atol=1e-6)
    assert backbone.weights == str(path) and backbone.feature_shape == (576,)


@pytest.mark.parametrize("version, channels", [("mobilenet_v2", 1280), ("mobilenet_v3_large", 960)])
def test_mobilenet_versions_spatial_maps(version, channels):
    backbone = load_backbone("MobileNet", version=version, weights=None, layer="spatial", device="cpu")
    assert backbone.extract([data.coffee()]).shape == (1, 7, 7, channels)


def test_offline_without_cache_names_both_ways_out(monkeypatch, tmp_path):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))

    def no_network(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(torch.hub, "download_url_to_file", no_network)
    with pytest.raises(BackboneError, match=r"pass weights='path/to/.*\.pth'.*feature_extractor\('EfficientNetLite0'\)"):
        load_backbone("MobileNet", device="cpu")


def test_a_users_pth_file_is_never_unpickled(tmp_path, monkeypatch):
    path = tmp_path / "evil.pth"
    with open(path, "wb") as f:
        pickle.dump({"features.0.0.weight": _Sneaky()}, f)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load ran on a user's file"))
    with pytest.raises(BackboneError, match=r"'evil.pth' is a pickled file, and py5ml never unpickles a file you give it"):
        load_backbone("MobileNet", weights=str(path), device="cpu")


def test_a_torchvision_name_with_other_contents_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "mobilenet_v3_small-047dcff4.pth"  # torchvision's published name, other bytes
    torch.save(torchvision.models.mobilenet_v3_small().state_dict(), path)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load ran before the hash check"))
    with pytest.raises(BackboneError, match="carries torchvision's name but not its contents"):
        load_backbone("MobileNet", weights=str(path), device="cpu")


def test_a_torchvision_file_whose_hash_matches_its_name_loads(tmp_path, monkeypatch):
    import hashlib
    import os
    from py5ml.vision import _backbone_weights

    state = torchvision.models.mobilenet_v3_small().state_dict()
    staged = tmp_path / "staged.pth"
    torch.save(state, staged)
    prefix = hashlib.sha256(staged.read_bytes()).hexdigest()[:8]
    name = f"mobilenet_v3_small-{prefix}.pth"  # pretend torchvision published this hash
    os.replace(staged, tmp_path / name)
    monkeypatch.setattr(_backbone_weights, "published_names", lambda version: {name})
    backbone = load_backbone("MobileNet", weights=str(tmp_path / name), device="cpu")
    assert torch.equal(backbone.trunk[0][0].weight, state["features.0.0.weight"])



def test_the_published_names_are_torchvisions():
    from py5ml.vision._backbone_weights import published_names

    assert "mobilenet_v3_small-047dcff4.pth" in published_names("mobilenet_v3_small")
    assert published_names("EfficientNetLite0") == set()


class _Sneaky:
    pass


def test_a_state_dict_for_another_network_is_refused(tmp_path):
    path = save_safetensors(torchvision.models.mobilenet_v2().state_dict(), tmp_path / "v2.safetensors")
    with pytest.raises(BackboneError, match="does not fit mobilenet_v3_small"):
        load_backbone("MobileNet", weights=str(path), device="cpu")


def test_names_and_versions():
    assert resolve_name("mobilenet") == ("MobileNet", "mobilenet_v3_small")
    assert resolve_name("mobilenet_v2") == ("MobileNet", "mobilenet_v2")
    assert resolve_name("efficientnet-lite0") == ("EfficientNetLite0", "efficientnet_lite0")
    with pytest.raises(BackboneError, match="Unknown backbone 'ResNet'"):
        resolve_name("ResNet")
    with pytest.raises(BackboneError, match="Unknown layer"):
        load_backbone("MobileNet", weights=None, layer="conv_pw_13")
