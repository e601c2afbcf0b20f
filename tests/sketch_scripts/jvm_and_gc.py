"""A sketch with a py5ml task: prints the JVM's JIT option and the GC's frozen count, then exits.

    python jvm_and_gc.py [py5-first] [tools-first]
"""

import gc
import sys

if "tools-first" in sys.argv:  # py5's tools loaded, its JVM not started yet
    import py5_tools  # noqa: F401
if "py5-first" in sys.argv:
    import py5

    import py5ml
else:
    import py5ml
    import py5


async def tick():
    while True:
        await py5ml.next_frame()


def setup():
    py5.size(100, 100)
    py5ml.start_task(tick())  # py5ml's frame hooks are in play
    print("frozen before the first frame:", gc.get_freeze_count(), flush=True)


def draw():
    if py5.frame_count == 3:
        from java.lang.management import ManagementFactory

        args = [str(a) for a in ManagementFactory.getRuntimeMXBean().getInputArguments()]
        print("jit:", "quick" if py5ml.clock._jvm_options.QUICK_JIT in args else "full", flush=True)
        print("frozen at frame 3:", gc.get_freeze_count(), flush=True)
        py5.exit_sketch()


py5.run_sketch()
