"""ml5's titanic example, in py5: text inputs ("first", "male") are one-hot encoded for you.

Each passenger is a fare class, sex, age and fare; the label is whether they lived. After
training, the sketch asks about six made-up passengers and draws a bar for each answer.

    python examples/ml5/nn_titanic.py --data path/to/titanic_cleaned.csv
"""

import csv
from pathlib import Path

import py5ml
import py5


DATA = Path(__file__).resolve().parents[3] / "shared/data/ml5_examples/NeuralNetwork/NeuralNetwork_titanic/data/titanic_cleaned.csv"
args = py5ml.parse_sketch_args("ml5 titanic", add_arguments=lambda p: p.add_argument("--data", default=str(DATA)))
nn = py5ml.NeuralNetwork({"inputs": ["fare_class", "sex", "age", "fare"], "outputs": ["survived"],
                          "task": "classification", "debug": True})
passengers = [["first", "female", 30, 80], ["first", "male", 40, 60], ["second", "female", 8, 30],
              ["second", "male", 30, 15], ["third", "female", 25, 8], ["third", "male", 25, 8]]
answers = []


def setup():
    py5.size(400, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    with open(args.data, newline="") as f:
        for row in csv.DictReader(f):
            inputs = {"fare_class": row["fare_class"], "sex": row["sex"], "age": float(row["age"]), "fare": float(row["fare"])}
            nn.add_data(inputs, {"survived": row["survived"]})
    nn.normalize_data()
    nn.train({"epochs": 32}, finished_training)


def finished_training():
    nn.classify_multiple(passengers, got_results)


def got_results(error, results):
    global answers
    if error:
        print(error)
        return
    answers = [next(r["confidence"] for r in result if r["label"] == "lived") for result in results]
    print("chance of living:", ", ".join(f"{a:.2f}" for a in answers))


def draw():
    py5.background(240)
    py5.fill(0)
    py5.text_size(14)
    for i, (passenger, chance) in enumerate(zip(passengers, answers)):
        y = 30 + i * 60
        py5.fill(0)
        py5.text(f"{passenger[0]} class, {passenger[1]}, {passenger[2]}", 20, y)
        py5.fill(40, 160, 90)
        py5.rect(20, y + 8, chance * 360, 24)


py5.run_sketch()
