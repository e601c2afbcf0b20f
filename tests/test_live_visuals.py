"""The live-visuals sketches run under the real ``py5-live-coding``, and take a save mid-run.

Each sketch starts (flags through ``$PY5ML_ARGS``), the test saves it with a new background
color, and the sketch's ``--frames`` screenshot shows the new color: the edit took, the models
kept working, and the sketch ended by itself.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
COLOR_DATA = ROOT.parent / "shared" / "data" / "colorData.json"
LIVE_CODING = Path(sys.executable).parent / "py5-live-coding"

CASES = {
    "color_palette": ("py5.background(18)", f"--data {COLOR_DATA}"),
    "camera_particles": ("py5.background(10, 10, 24)", "--source synthetic"),
}
NEW_BACKGROUND = (235, 225, 120)


def run_and_edit(sketch, old, extra_args, out, display):
    env = dict(os.environ, DISPLAY=display, PYTHONUNBUFFERED="1",
               PY5ML_ARGS=f"{extra_args} --frames 420 --screenshot {out}")
    proc = subprocess.Popen([str(LIVE_CODING), str(sketch)], cwd=sketch.parent, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(line.rstrip() for line in proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 240
    while not any(line.startswith(sketch.stem) for line in lines) and time.monotonic() < deadline:
        time.sleep(0.2)
    edited = sketch.read_text().replace(old, f"py5.background{NEW_BACKGROUND}")
    tmp = sketch.with_name(".saving.tmp")
    tmp.write_text(edited)
    os.replace(tmp, sketch)  # saved whole, as an editor does
    try:
        proc.wait(timeout=300)
    finally:
        proc.kill()
    reader.join(timeout=10)
    return proc.returncode, lines


@pytest.mark.parametrize("name", sorted(CASES))
def test_live_visuals_take_a_save_under_py5_live_coding(name, display, tmp_path):
    old, extra_args = CASES[name]
    sketch = tmp_path / f"{name}.py"
    sketch.write_text((ROOT / "sketches" / "live_visuals" / f"{name}.py").read_text())
    assert old in sketch.read_text()
    out = tmp_path / "shot.png"
    code, lines = run_and_edit(sketch, old, extra_args, out, display)
    text = "\n".join(lines)
    assert code == 0, text
    setups = [line for line in lines if line.startswith(name)]
    assert len(setups) == 2, text  # setup() ran for the first version and after the save
    assert not [line for line in lines if "Traceback" in line or "Error" in line], text
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    new_background = np.all(np.abs(pixels - NEW_BACKGROUND) <= 6, axis=2).mean()
    assert new_background > 0.25, f"only {new_background:.0%} of the screenshot has the new background"
