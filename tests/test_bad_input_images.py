"""Pictures: NaN pixels are refused (not a silently black picture), huge pictures shrink first."""

import tracemalloc

import numpy as np
import pytest
from PIL import Image

from py5ml._errors import DataError
from py5ml.vision._image_input import MAX_SIDE, to_rgb_array


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_float_picture_with_one_bad_pixel_is_refused(bad):
    image = np.full((40, 60, 3), 0.5, np.float32)
    image[10, 20, 1] = bad
    with pytest.raises(DataError, match=r"The picture has 1 NaN or infinite pixels \(the first at x=20, y=10\); "
                                        r"py5ml will not guess their color\. Fix the image, e\.g\. np\.nan_to_num\(image\)"):
        to_rgb_array(image)


def test_a_good_float_picture_keeps_its_colors():
    image = np.full((40, 60, 3), 0.5, np.float32)
    assert to_rgb_array(image)[0, 0].tolist() == [127, 127, 127]


@pytest.mark.parametrize("array, message", [
    (np.array([["a"]]), r"A picture array must hold numbers \(uint8 0\.\.255 or floats 0\.\.1\), not <U1\."),
    (np.zeros((4, 4, 2)), r"A picture array should be \(height, width, 3\), got shape \(4, 4, 2\)\."),
])
def test_arrays_that_are_not_pictures(array, message):
    with pytest.raises(DataError, match=message):
        to_rgb_array(array)


def _peak_bytes(convert, image):
    tracemalloc.start()
    try:
        out = convert(image)
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_uint8_picture_is_shrunk_with_bounded_memory():
    image = np.zeros((8000, 8000, 3), np.uint8)  # 192 MB
    image[:, 4000:] = 200
    out, peak = _peak_bytes(to_rgb_array, image)
    assert out.shape == (2000, 2000, 3) and max(out.shape[:2]) <= MAX_SIDE
    assert out[0, 0].tolist() == [0, 0, 0] and out[0, -1].tolist() == [200, 200, 200]
    assert peak < 80 * 2**20, f"converting used {peak / 2**20:.0f} MB on top of the 192 MB picture"


def test_a_huge_float_picture_is_shrunk_before_it_is_converted():
    image = np.full((4100, 4100, 3), 0.25, np.float32)  # 200 MB; float64 of it would be 400 MB
    image[4000, 4000, 0] = np.nan  # a NaN still counts after shrinking
    with pytest.raises(DataError, match="NaN or infinite pixels"):
        to_rgb_array(image)
    image[4000, 4000, 0] = 0.25
    out, peak = _peak_bytes(to_rgb_array, image)
    assert out.shape == (1366, 1366, 3) and out[5, 5].tolist() == [63, 63, 63]
    assert peak < 120 * 2**20, f"converting used {peak / 2**20:.0f} MB on top of the 200 MB picture"


def test_a_huge_pil_picture_is_reduced():
    out = to_rgb_array(Image.new("RGB", (5000, 300), (10, 20, 30)))
    assert out.shape == (100, 1667, 3) and out[0, 0].tolist() == [10, 20, 30]
