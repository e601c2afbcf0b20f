"""preload(): torch loads on a thread while the window opens, and nothing imports torchvision early."""

import json
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from PIL import Image

import py5ml
from conftest import COLOR_DATA, ROOT


def fresh_python(code, timeout=180):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         timeout=timeout, env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_nothing_before_a_feature_extractor_imports_torchvision():
    seen = fresh_python("""
        import json, sys, py5ml
        seen = {"import": "torchvision" in sys.modules}
        for name in ("NeuralNetwork", "fit", "LossGraph", "UI", "load_color_data", "start_task",
                     "feature_extractor", "Capture", "preload"):
            getattr(py5ml, name)
            seen[name] = "torchvision" in sys.modules
        print(json.dumps(seen))
    """)
    assert not any(seen.values()), seen


def test_preload_returns_at_once_and_imports_torch_on_a_thread():
    seen = fresh_python("""
        import json, sys, py5ml
        loading = py5ml.preload("network", then=lambda: 42)
        first = {"ready": loading.is_ready, "status": loading.status}
        ok = loading.wait(150)
        print(json.dumps({"first": first, "ok": ok, "result": loading.result, "status": loading.status,
                          "torch": "torch" in sys.modules,
                          "network": "py5ml.network._neural_network" in sys.modules,
                          "torchvision": "torchvision" in sys.modules}))
    """)
    assert seen["first"] == {"ready": False, "status": "loading torch…"}
    assert seen["ok"] and seen["result"] == 42 and seen["status"] == "ready"
    assert seen["torch"] and seen["network"] and not seen["torchvision"]


def test_a_failure_while_loading_is_kept_and_shown(capsys):
    def broken():
        raise FileNotFoundError("colorData.json")

    loading = py5ml.preload("torch", then=broken)
    assert not loading.wait(60)
    assert loading.is_done and not loading.is_ready
    assert isinstance(loading.error, FileNotFoundError)
    assert loading.status == "loading failed: FileNotFoundError: colorData.json"
    assert "preloading failed" in capsys.readouterr().err


@pytest.mark.parametrize("features, then, message", [
    (("tensorflow",), None, "preload feature must be one of 'torch', 'network', 'training', 'vision'"),
    (("torch",), "load_data", "then must be a function"),
])
def test_bad_requests_are_refused_before_any_thread_starts(features, then, message):
    before = threading.active_count()
    with pytest.raises(py5ml.DataError, match=message):
        py5ml.preload(*features, then=then)
    assert threading.active_count() == before


# The color sketch, with `import torch` held back 6 s: the window must draw meanwhile.
SLOW_TORCH = """
import importlib.abc, json, runpy, sys, time

class SlowTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "torch":
            time.sleep(6)  # a slow disk, a busy machine
        return None

sys.meta_path.insert(0, SlowTorch())
import py5

sketch, out, seen = py5.get_current_sketch(), sys.argv[1], {}

def probe(s):
    glob = vars(sys.modules["__main__"])
    if s.frame_count == 3:
        s.save_frame(out + "/loading.png", use_thread=False)
        seen["frame3_nn"] = glob["nn"] is not None
    if glob["nn"] is not None and glob["nn"].model is not None:
        seen["ready_frame"] = s.frame_count
        print(json.dumps(seen), flush=True)
        s.exit_sketch()

sketch._add_post_hook("draw", "test_probe", probe)
sys.argv = [sys.argv[2], *sys.argv[3:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_the_color_sketch_draws_while_torch_loads(run_py, tmp_path):
    sketch = ROOT / "sketches" / "color_classifier" / "color_classifier.py"
    data = ["--data", COLOR_DATA] if COLOR_DATA.exists() else []
    proc = run_py("-c", SLOW_TORCH, tmp_path, sketch, "--epochs", "1", *data, cwd=tmp_path, timeout=300,
                  fresh=True)  # torch must not be imported yet
    seen = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("{")))
    assert seen["frame3_nn"] is False and seen["ready_frame"] > 3  # frames came before the network
    shot = np.asarray(Image.open(tmp_path / "loading.png").convert("RGB")).astype(int)
    assert shot.shape == (480, 640, 3)
    status_bar = shot[456:480, :]
    assert (status_bar.min(axis=2) > 180).sum() > 100  # "loading torch…" in light text on the dark bar
    assert (shot[330:350, 30:280].max(axis=2) > 200).any()  # the sliders are already there
