"""A warmed JVM for sketch tests: a class-data archive of what a py5 sketch loads.

Every sketch test starts its own JVM (a JVM does not survive a fork), and each one spends its
first second loading and verifying the same few thousand classes from py5's jars. Java 17 can
write the classes a run loaded to an archive (``-XX:ArchiveClassesAtExit``), and a later JVM
maps that archive instead of loading them again (``-XX:SharedArchiveFile``): Class Data Sharing.

``python tests/jvm_archive.py ARCHIVE`` runs one small sketch that draws what the tests draw
(shapes, text, pixels, a saved frame) and writes the archive to ARCHIVE once the sketch's JVM has
ended, or writes nothing if anything failed. conftest.py starts it in the background at the
beginning of a run; sketches forked by tests/zygote.py use the archive once it exists.
A JVM that cannot use it (another classpath, say) starts as it always did; ``-Xlog`` keeps it
from printing about that.
"""

import os
import subprocess
import sys


QUIET = ["-Xlog:cds=off", "-Xlog:cds+dynamic=off"]  # nothing printed about the archive, either way


def jvm_options(archive):
    """The options a sketch's JVM needs to use ``archive``."""
    return [f"-XX:SharedArchiveFile={archive}", *QUIET]


PARTIAL = None  # where the sketch run writes its archive


def setup():
    py5.size(200, 120)
    py5.text_size(14)


def draw():
    py5.background(30)
    py5.fill(200, 40, 40)
    py5.rect(10, 10, 50, 30)
    py5.circle(100, 60, 40)
    py5.stroke(255)
    py5.line(0, 0, 200, 120)
    py5.no_stroke()
    py5.text(f"frame {py5.frame_count}", 10, 100)
    py5.load_pixels()
    if py5.frame_count == 10:
        py5.save_frame(f"{PARTIAL}.png")
        py5.exit_sketch()


def build(archive):
    """Write the archive to ``archive``, whole or not at all; True if written."""
    partial = f"{archive}.partial"  # and the sketch's frame: {partial}.png
    done = subprocess.run([sys.executable, __file__, "--sketch", partial], timeout=120,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    written = done.returncode == 0 and os.path.exists(f"{partial}.png") and os.path.exists(partial)
    if written:
        os.replace(partial, archive)
    for leftover in (partial, f"{partial}.png"):
        if os.path.exists(leftover):
            os.remove(leftover)
    return written


if __name__ == "__main__":
    if sys.argv[1] == "--sketch":
        PARTIAL = sys.argv[2]
        import py5ml  # noqa: F401  (first, as in py5ml's sketches: the same JVM options)
        import py5_tools

        py5_tools.add_options(f"-XX:ArchiveClassesAtExit={PARTIAL}", *QUIET)
        import py5

        py5.run_sketch()
    else:
        sys.exit(0 if build(sys.argv[1]) else 1)
