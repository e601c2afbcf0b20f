"""Run a sketch file and print when its first frame was drawn and when it became ready.

    python benchmarks/_startup_probe.py SKETCH.py --ready "EXPRESSION" [sketch flags...]

``EXPRESSION`` is evaluated in the sketch's globals after every ``draw()``, e.g.
``"nn is not None and nn.model is not None"``; the first frame where it is true is the sketch's
first prediction. Prints ``probe first_frame <unix time>`` and ``probe ready <unix time>``, then
ends the sketch. The sketch runs unchanged: the probe is a py5 post-draw hook added before it.
"""

import runpy
import sys
import time


def main():
    sketch_path, ready_expr = sys.argv[1], "True"
    rest = sys.argv[2:]
    if rest[:1] == ["--ready"]:
        ready_expr, rest = rest[1], rest[2:]
    import py5

    sketch = py5.get_current_sketch()
    seen = {}

    def probe(s):
        now = time.time()
        if "first_frame" not in seen:
            seen["first_frame"] = now
            print(f"probe first_frame {now:.4f}", flush=True)
        if "ready" not in seen and eval(ready_expr, vars(sys.modules["__main__"])):
            seen["ready"] = now
            print(f"probe ready {now:.4f}", flush=True)
            s.exit_sketch()

    sketch._add_post_hook("draw", "py5ml_startup_probe", probe)
    sys.argv = [sketch_path, *rest]
    runpy.run_path(sketch_path, run_name="__main__")


if __name__ == "__main__":
    main()
