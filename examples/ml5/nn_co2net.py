"""ml5's co2net, in py5: how much CO2 does a city emit, given how many people live there?

The data (150 cities, ml5's co2stats.csv) loads from ``data_url``; then the network learns
population -> emissions as a regression. Both numbers run into the millions, so
``normalize_data()`` scales the inputs *and* the outputs to 0-1, and ``predict`` scales its
answers back to tons. ``debug=True`` shows the training panel on the right.

    python examples/ml5/nn_co2net.py --data path/to/co2stats.csv --seed 3
"""

import py5ml
import py5


def add_flags(parser):
    parser.add_argument("--data", default="data/co2stats.csv")
    parser.add_argument("--seed", type=int, help="repeatable starting weights (some starts get stuck at one value)")


args = py5ml.parse_sketch_args("ml5 co2net", add_arguments=add_flags)
test_inputs = [100, 50_000, 100_000, 500_000, 2_500_000, 5_000_000, 10_000_000, 15_000_000]
predictions = []  # (population, tons) as they come back
nn = None


def setup():
    global nn
    py5.size(720, 400)
    py5ml.finish_after(args.frames, args.screenshot)
    options = {
        "inputs": ["population_cdp"],
        "outputs": ["scope1_ghg_emissions_tons_co2e"],
        "data_url": args.data,
        "task": "regression",
        "debug": True,
        "seed": args.seed,
    }
    nn = py5ml.NeuralNetwork(options, data_loaded)


def data_loaded():
    nn.normalize_data()
    nn.train({"epochs": 50, "batch_size": 12}, finished_training)


def finished_training():
    """Predict the test inputs one after another: each answer asks for the next (ml5's loop)."""
    if len(predictions) < len(test_inputs):
        population = test_inputs[len(predictions)]
        nn.predict([population], lambda error, result: got_prediction(population, result))


def got_prediction(population, result):
    predictions.append((population, result[0]["value"]))
    print(f"population {population:,}: {result[0]['value']:,.0f} tons CO2e")
    finished_training()


def draw():
    py5.background(244)
    if len(nn.data) == 0:
        py5.fill(0)
        py5.text("loading the data...", 20, 30)
        return
    populations = [row[0] for row in nn.data.rows]
    tons = [target[0] for target in nn.data.targets]
    low, high = (min(populations), min(tons)), (max(populations), max(tons))
    to_screen = lambda p, t: (py5.remap(p, low[0], high[0], 20, 360), py5.remap(t, low[1], high[1], 380, 20))  # noqa: E731
    py5.no_stroke()
    py5.fill(60)
    for p, t in zip(populations, tons):  # the cities
        py5.circle(*to_screen(p, t), 4)
    py5.fill(230, 0, 0)
    py5.text_size(10)
    for p, t in predictions:  # the network's answers
        x, y = to_screen(p, t)
        py5.rect(x - 3, y - 3, 6, 6)
        py5.text(f"pop {p:,}\n{t:,.0f} t", x + 5, y)


py5.run_sketch()
