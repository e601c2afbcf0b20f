"""Live visuals: what the camera classifier sees, as a fountain of particles.

A feature extractor learns two words, "balloon" and "no balloon", from the picture, then keeps
classifying it. The label picks the particles' color and the confidence how many there are and
how fast they fly. Run it with py5's live coding and edit the particles while it runs: the
camera stays open, the backbone stays loaded, the examples and the trained head stay.

    py5-live-coding sketches/live_visuals/camera_particles.py
    PY5ML_ARGS="--source synthetic" py5-live-coding sketches/live_visuals/camera_particles.py

Without a camera it uses py5ml's synthetic scene: a figure that holds a balloon or not (key b).
The sketch teaches itself: it collects 20 pictures of each, trains, then flips the balloon every
few seconds so you can watch the particles change. EfficientNetLite0 works offline; MobileNet
needs its weights downloaded once (``--backbone MobileNet``).
"""

import random

import py5ml  # before py5: the JVM gets a quick JIT, so frames hold while training
import py5


def add_flags(parser):
    parser.add_argument("--source", default="camera", help="camera, camera:N, video:PATH, images:DIR or synthetic")
    parser.add_argument("--backbone", default="EfficientNetLite0", help="EfficientNetLite0 or MobileNet")


args = py5ml.parse_sketch_args("py5ml live visuals: camera particles", add_arguments=add_flags)
COLORS = {"balloon": (255, 90, 120), "no balloon": (90, 170, 255)}

# keep(): the camera is not opened again and the backbone not loaded again after a save.
video = py5ml.keep("video", py5ml.Capture, args.source)
extractor = py5ml.keep("extractor", py5ml.feature_extractor, args.backbone)
classifier = py5ml.keep("classifier", extractor.classification, video)
seen = py5ml.keep("seen", dict, label="...", confidence=0.0)
particles = py5ml.keep("particles", list)


async def teach():
    """What a person would do: show both, click a few times each, train, then classify."""
    while not extractor.is_ready:
        await py5ml.next_frame()
    for label in ("balloon", "no balloon"):
        video.holding = label == "balloon"
        for _ in range(20):
            await classifier.add_image_async(label)
            await py5ml.next_frame()
    await classifier.train_async()
    classifier.classify(got_results)
    while video.is_synthetic:  # headless demo: change the picture now and then
        for _ in range(180):
            await py5ml.next_frame()
        video.toggle()


def got_results(results):
    seen["label"], seen["confidence"] = results[0]["label"], results[0]["confidence"]
    classifier.classify(got_results)  # ask again: the answer keeps up with the picture


def setup():
    py5.size(640, 480)
    py5.text_font(py5.create_font("DejaVu Sans", 18))
    py5ml.keep("teach", lambda: py5ml.start_task(teach()))  # one teaching task, whatever you save
    print(f"camera_particles: {video.description} through {extractor.name}", flush=True)
    py5ml.finish_after(args.frames, args.screenshot)


def draw():
    py5.background(10, 10, 24)
    video.draw(10, 10, 160, 120)
    spawn(int(1 + 12 * seen["confidence"]))
    move_and_draw()
    py5.fill(255)
    py5.text(f"{seen['label']}  {seen['confidence']:.0%}", 190, 34)
    if not extractor.is_ready:
        py5.text(f"loading {args.backbone}...", 190, 64)


def spawn(count):
    """New particles from the bottom middle, as fast as the classifier is sure."""
    speed = 2 + 6 * seen["confidence"]
    for _ in range(count):
        particles.append([py5.width / 2, py5.height - 20, random.gauss(0, 1.5), -speed * random.uniform(0.6, 1.2), 255])


def move_and_draw():
    color = COLORS.get(seen["label"], (200, 200, 200))
    py5.no_stroke()
    for p in particles:
        p[0] += p[2]
        p[1] += p[3]
        p[3] += 0.08  # gravity
        p[4] -= 3  # fade
        py5.fill(*color, p[4])
        py5.circle(p[0], p[1], 10)
    particles[:] = [p for p in particles if p[4] > 0]


def key_pressed():
    if py5.key == "b":
        video.toggle()


py5.run_sketch()
