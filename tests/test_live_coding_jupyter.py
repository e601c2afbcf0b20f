"""Live coding in Jupyter: ``py5_tools.live_coding.activate()`` in a real kernel, through nbclient.

The notebook trains a kept network, then runs cells the way a person would while the sketch runs:
a new draw() color, a new shape, a cell with a syntax error, the fix. From the cells' outputs and
the screenshots the sketch saves: one training all along, and each new draw() shows.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

SRC = Path(__file__).resolve().parents[1] / "src"

SETUP_CELL = f'''
import sys, time
sys.path.insert(0, {str(SRC)!r})
import numpy as np
import py5, py5_tools, py5ml

def make_network():
    nn = py5ml.NeuralNetwork(inputs=2, outputs=["above", "below"], hidden_units=8, seed=1)
    for x, y in np.random.default_rng(0).random((512, 2)):
        nn.add_data([x, y], "above" if y > x else "below")
    return nn

nn = py5ml.keep("nn", make_network)
stats = py5ml.keep("stats", dict)
shoot = None

def on_batch(batch, logs):
    stats["batches"] = stats.get("batches", 0) + 1

def setup():
    py5.size(200, 200)
    nn.train(epochs=100000, batch_size=16, validation_split=0, callbacks=[py5ml.LambdaCallback(on_batch_end=on_batch)])

def weights():
    return float(sum(p.detach().double().abs().sum() for p in nn.model.parameters()))

def wait_and_report(more=50):
    global shoot
    start = stats.get("batches", 0)
    deadline = time.monotonic() + 120
    while stats.get("batches", 0) < start + more and time.monotonic() < deadline:
        time.sleep(0.1)
    shoot = f"shot{{stats.get('batches', 0)}}.png"
    while shoot is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    print("REPORT " + __import__("json").dumps({{"batches": stats.get("batches", 0), "model": id(nn.model),
          "weights": weights(), "shot": last_shot}}), flush=True)
'''

DRAW = '''
def draw():
    global shoot, last_shot
    py5.background({background})
    py5.no_stroke()
    {extra}
    if shoot is not None:
        py5.save_frame(shoot, use_thread=False)
        last_shot, shoot = shoot, None
'''
SQUARE = "py5.fill(40, 220, 60); py5.rect(120, 120, 60, 60)"
CIRCLE = "py5.fill(250, 230, 40); py5.circle(50, 150, 50)"


def cell(source, raises=False):
    c = nbformat.v4.new_code_cell(source)
    if raises:
        c.metadata["tags"] = ["raises-exception"]
    return c


def notebook():
    cells = [
        cell(SETUP_CELL + DRAW.format(background="200, 30, 30", extra="pass")),
        cell("py5_tools.live_coding.activate(always_on_top=False)"),
        cell("wait_and_report(100)"),
        # py5 takes the new functions after each cell has run, so each report has a cell of its own.
        cell(DRAW.format(background="30, 60, 200", extra="pass")), cell("wait_and_report()"),  # new colors
        cell(DRAW.format(background="30, 60, 200", extra=SQUARE)), cell("wait_and_report()"),  # a new shape
        cell(DRAW.format(background="30, 60, 200", extra="py5.fill(255, 0, 0"), raises=True),  # a syntax error
        cell(DRAW.format(background="30, 60, 200", extra=SQUARE + "; " + CIRCLE)), cell("wait_and_report()"),  # the fix
        cell("py5.get_current_sketch().real_exit_sketch()  # live coding turns exit_sketch() into a pause"),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def kernel_for_this_python(root):
    spec = root / "kernels" / "py5ml-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "py5ml test", "language": "python"}))


def outputs(nb, kind):
    for c in nb.cells:
        for out in c.get("outputs", []):
            if out.get("output_type") == kind:
                yield out


def test_activate_in_a_kernel_keeps_training_across_cells(display, tmp_path, monkeypatch):
    kernel_for_this_python(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("DISPLAY", display)
    nb = notebook()
    client = nbclient.NotebookClient(nb, kernel_name="py5ml-test", timeout=300,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()

    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    reports = [json.loads(line[len("REPORT "):]) for line in text.splitlines() if line.startswith("REPORT ")]
    assert len(reports) == 4, text
    batches = [r["batches"] for r in reports]
    assert batches == sorted(batches) and batches[-1] > batches[0] + 100  # one training, never reset
    assert len({r["model"] for r in reports}) == 1  # the same network after every cell
    errors = list(outputs(nb, "error"))
    assert [e["ename"] for e in errors] == ["SyntaxError"], errors  # reported once, nothing else
    assert "Error" not in text.replace("SyntaxError", ""), text
    shots = [np.asarray(Image.open(tmp_path / r["shot"]).convert("RGB")).astype(int) for r in reports]
    near = lambda px, rgb: bool(np.all(np.abs(px - np.array(rgb)) <= 12))  # noqa: E731
    assert near(shots[0][10, 10], (200, 30, 30))
    assert near(shots[1][10, 10], (30, 60, 200)) and near(shots[1][150, 150], (30, 60, 200))
    assert near(shots[2][150, 150], (40, 220, 60))
    assert near(shots[3][150, 150], (40, 220, 60)) and near(shots[3][150, 50], (250, 230, 40))
