"""ml5's loop: classify again inside the result callback, for thousands of results.

Loads ml5's own color model, then ``got_results`` asks for the next result each time, as nine of
ml5's NeuralNetwork examples do. Results arrive one frame later, so the loop never nests: it
prints how many results came, the deepest call stack seen, and any error.
"""

import inspect

import py5

import py5ml



def arguments(parser):
    parser.add_argument("--model", required=True)
    parser.add_argument("--shape", choices=["error-first", "results-only"], default="error-first")
    parser.add_argument("--raise-at", type=int, default=0, help="the callback raises at this result")


args = py5ml.parse_sketch_args(add_arguments=arguments)
nn = py5ml.NeuralNetwork()
count = 0
deepest = 0
label = "?"


def setup():
    py5.size(200, 120)
    py5.frame_rate(1000)
    py5ml.finish_after(args.frames, args.screenshot, on_finish=report)
    nn.load(args.model)
    nn.classify([255, 0, 0], got_results if args.shape == "error-first" else got_results_only)


def got_results_only(results):
    got_results(None, results)


def got_results(error, results):
    global count, deepest, label
    if error:
        print(f"error={error!r}", flush=True)
        return
    count += 1
    if count == args.raise_at:
        raise ValueError("the sketch's own mistake")
    deepest = max(deepest, len(inspect.stack(0)))
    label = results[0]["label"]
    nn.classify([count % 256, 0, 255 - count % 256], got_results if args.shape == "error-first" else got_results_only)


def draw():
    py5.background(0)
    py5.fill(255)
    py5.text(f"{count} results: {label}", 10, 60)


def report():
    print(f"results={count} frames={py5.frame_count} deepest_stack={deepest} label={label}", flush=True)


py5.run_sketch()
