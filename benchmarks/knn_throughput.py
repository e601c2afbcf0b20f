"""How fast is KNNClassifier.classify with thousands of examples? Compared with a brute-force numpy
reference measured in the same run, on the same data.

The reference is what a first attempt looks like: for each example, its cosine similarity to the
query in a Python loop, then a full sort, then the votes. py5ml keeps the examples as one matrix
of unit rows, so a classification is one matrix product and a partial sort. Both must agree on
every answer (checked here). A frame at 60 fps lasts 16.7 ms; the goal is well under it.

    python benchmarks/knn_throughput.py                       # 256 numbers (ml5's MobileNet v1)
    python benchmarks/knn_throughput.py --width 1280 --examples 1000 5000 20000

The last line printed is JSON.
"""

import argparse
import json
import time

import numpy as np

from py5ml import KNNClassifier

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--width", type=int, default=256, help="numbers per example (MobileNet v1 pooled: 256)")
parser.add_argument("--examples", type=int, nargs="+", default=[100, 1000, 5000])
parser.add_argument("--labels", type=int, default=5)
parser.add_argument("--k", type=int, default=3)
parser.add_argument("--queries", type=int, default=50)
args = parser.parse_args()


def brute_force(examples, labels, query, k):
    """The reference: one example at a time, a full sort, then count the votes."""
    similarities = []
    for example in examples:
        similarities.append(float(example @ query) / (np.linalg.norm(example) * np.linalg.norm(query)))
    nearest = np.argsort(-np.asarray(similarities), kind="stable")[:k]
    votes = np.bincount(labels[nearest], minlength=args.labels)
    return int(np.argmax(votes)), votes / k


def median_ms(fn, queries):
    times = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


def measure(n):
    rng = np.random.default_rng(n)
    examples = rng.normal(size=(n, args.width)).astype(np.float32)
    labels = rng.integers(0, args.labels, n)
    knn = KNNClassifier()
    start = time.perf_counter()
    for row, label in zip(examples, labels):
        knn.add_example(row, int(label))
    add_ms = (time.perf_counter() - start) * 1000 / n
    queries = rng.normal(size=(args.queries, args.width)).astype(np.float32)
    for query in queries[:10]:  # both agree (the vote shares; ties in similarity are vanishingly rare)
        index, shares = brute_force(examples, labels, query, args.k)
        result = knn.classify_sync(query, k=args.k)
        assert np.allclose([result["confidences"].get(c, 0) for c in range(args.labels)], shares)
    ours = median_ms(lambda q: knn.classify_sync(q, k=args.k), queries)
    reference = median_ms(lambda q: brute_force(examples, labels, q, args.k), queries[:10])
    return {"examples": n, "width": args.width, "classify_ms": round(ours, 3), "reference_ms": round(reference, 3),
            "speedup": round(reference / ours, 1), "add_example_ms": round(add_ms, 4)}


rows = [measure(n) for n in args.examples]
for row in rows:
    print(f"{row['examples']:>6} examples × {row['width']}: classify {row['classify_ms']:.3f} ms "
          f"(brute force {row['reference_ms']:.1f} ms, {row['speedup']}× faster); add_example {row['add_example_ms']:.4f} ms")
print(json.dumps(rows))
