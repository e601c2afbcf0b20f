"""Helpers for tests that check py5ml against real TensorFlow.js 4.22 running in node (tests/js/).

``bash scripts/setup.sh`` installs @tensorflow/tfjs into tests/js/node_modules. Without node the
TF.js comparisons skip; without the package they fail, since that is a broken setup.
"""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from skimage import data

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
SHARED = ROOT.parent / "shared" / "data"
MOBILENET_V1 = SHARED / "mobilenet_v1_0.25"
TEACHABLE = SHARED / "teachable_machine"
TM_EXPORTS = ["bricks_phone", "drowsiness", "rock_paper_scissors_mask"]


def pictures() -> dict:
    """scikit-image's real photographs, by the label the tests give them."""
    return {"cat": data.chelsea(), "coffee": data.coffee(), "astronaut": data.astronaut()}


def need_node() -> str:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: TF.js interop needs Node 20 (CI has it)")
    if not (JS / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.fail("@tensorflow/tfjs is missing: run `bash scripts/setup.sh` (or `cd tests/js && npm ci`)")
    return shutil.which("node")


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found (the shared test data beside the project)")
    return path


def run_node(*args, timeout=600):
    proc = subprocess.run([need_node(), *map(str, args)], cwd=JS, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"node {args} failed:\n{proc.stderr[-3000:]}"


def write_pictures(folder: Path, named: dict) -> Path:
    """Raw uint8 RGB files + pictures.json, the way tests/js/mobilenet_v1.js reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = []
    for index, (label, image) in enumerate(named.items()):
        (folder / f"{index}.bin").write_bytes(np.ascontiguousarray(image, dtype=np.uint8).tobytes())
        spec.append({"file": f"{index}.bin", "shape": list(image.shape), "label": label})
    (folder / "pictures.json").write_text(json.dumps(spec))
    return folder / "pictures.json"


def tfjs_predict(model_json: Path, inputs: np.ndarray, folder: Path, *, base: bool = False):
    """TF.js's outputs for float32 inputs (and, with ``base``, its first nested functional model's)."""
    folder.mkdir(parents=True, exist_ok=True)
    np.ascontiguousarray(inputs, dtype="<f4").tofile(folder / "in.bin")
    extra = [folder / "base.bin"] if base else []
    run_node("predict_raw.js", model_json, folder / "in.bin", folder / "out.bin", *extra)
    out = np.fromfile(folder / "out.bin", "<f4").reshape(len(inputs), -1)
    return (out, np.fromfile(folder / "base.bin", "<f4").reshape(len(inputs), 7, 7, -1)) if base else out
