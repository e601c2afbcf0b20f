"""Color-classifier accuracy: py5ml against TensorFlow.js itself, same settings, same split.

Trains the lesson's model (3 -> 16 sigmoid -> 9 softmax, SGD 0.25, batch 32, shuffle,
validation_split 0.1, 10 epochs) with real TF.js 4.22 in node (tests/js/train_color.js) and with
``py5ml.fit``; then loads one py5ml-saved model in TF.js and scores all rows there.

    python benchmarks/accuracy_vs_tfjs.py [--runs 3]
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

import py5ml

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
DATA = ROOT.parent / "shared" / "data" / "colorData.json"


def tfjs_run():
    out = subprocess.run(["node", "train_color.js", str(DATA)], cwd=JS, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def py5ml_run(seed, xs, ys):
    from py5ml.network._encoding import Encoding
    from py5ml.network._layers import build_model

    nn = py5ml.NeuralNetwork(inputs=3, outputs=list(py5ml.COLOR_LABELS), seed=seed,
                             hidden_units=16, activation="sigmoid", optimizer="sgd", learning_rate=0.25)
    model = build_model(nn.options, Encoding.plain("classification", 3, ys.shape[1], py5ml.COLOR_LABELS))
    history = asyncio.run(py5ml.fit(model, xs, ys, epochs=10, batch_size=32, shuffle=True, validation_split=0.1,
                                    optimizer="sgd", learning_rate=0.25, yield_every="epoch"))
    return model, {k: history.history[k][-1] for k in ("val_acc", "val_loss")}


def score_in_tfjs(model, xs, labels):
    with tempfile.TemporaryDirectory() as tmp:
        path = py5ml.save_model(model, tmp, input_shape=(3,))
        (Path(tmp) / "in.json").write_text(json.dumps(xs.tolist()))
        subprocess.run(["node", "predict.js", str(path), f"{tmp}/in.json", f"{tmp}/out.json"], cwd=JS, check=True)
        probs = np.array(json.loads((Path(tmp) / "out.json").read_text())["outputs"])
    return float((probs.argmax(1) == labels).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: this benchmark needs the Coding Train color data")
    torch.set_num_threads(1)
    data = py5ml.load_color_data(DATA)
    xs, ys = (data.rgb / 255).astype(np.float32), data.one_hot()

    tfjs = [tfjs_run() for _ in range(args.runs)]
    ours = [py5ml_run(seed, xs, ys) for seed in range(args.runs)]
    tfjs_scores_ours = score_in_tfjs(ours[0][0], xs, data.label_indices())
    for i, r in enumerate(tfjs):
        print(f"TF.js run {i}: val_acc {r['val_acc']:.4f}  val_loss {r['val_loss']:.4f}  all rows {r['all_rows_acc']:.4f}")
    for i, (_, r) in enumerate(ours):
        print(f"py5ml seed {i}: val_acc {r['val_acc']:.4f}  val_loss {r['val_loss']:.4f}")
    print(f"py5ml seed 0, saved and scored by TF.js on all {len(xs)} rows: {tfjs_scores_ours:.4f}")
    print(json.dumps({"tfjs_val_acc": [round(r["val_acc"], 4) for r in tfjs],
                      "py5ml_val_acc": [round(r["val_acc"], 4) for _, r in ours],
                      "tfjs_all_rows_acc": [round(r["all_rows_acc"], 4) for r in tfjs],
                      "py5ml_model_in_tfjs_all_rows_acc": round(tfjs_scores_ours, 4)}))


if __name__ == "__main__":
    main()
