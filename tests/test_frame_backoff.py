"""A late frame halves training's share of the next frames; frames on time win it back slowly."""

import threading
import time

import pytest

from py5ml.clock._frame_budget import FrameBudget
from py5ml.clock._frame_gate import FrameGate

PERIOD = 1 / 60


def run_frames(budget, intervals, start=None):
    """Feed ``budget`` frames that start ``intervals`` apart (a fake clock), after a first frame
    at 100 s or going on from ``start``; returns the last frame's start."""
    now = 100.0 if start is None else start
    if start is None:
        budget.start_frame(now)
    for interval in intervals:
        now += interval
        budget.start_frame(now)
    return now


def test_frames_on_time_leave_training_the_whole_gap():
    budget = FrameBudget()
    now = run_frames(budget, [PERIOD] * 30)
    assert budget.share == 1.0
    assert budget.training_deadline(now + 0.005) == pytest.approx(now + PERIOD)


def test_each_late_frame_halves_the_share_down_to_an_eighth():
    budget = FrameBudget()
    shares = []
    now = run_frames(budget, [PERIOD] * 5)
    for _ in range(6):
        now = run_frames(budget, [0.030], start=now)
        shares.append(budget.share)
    assert shares == [0.5, 0.25, 0.125, 0.125, 0.125, 0.125]
    after_draw = now + 0.004
    assert budget.training_deadline(after_draw) == pytest.approx(after_draw + (now + PERIOD - after_draw) / 8)


def test_the_share_comes_back_a_little_each_frame_on_time():
    budget = FrameBudget()
    now = run_frames(budget, [PERIOD, 0.030, 0.030])
    assert budget.share == 0.25
    now = run_frames(budget, [PERIOD] * 5, start=now)
    assert budget.share == pytest.approx(0.5)
    run_frames(budget, [PERIOD] * 10, start=now)
    assert budget.share == 1.0


def test_a_draw_slower_than_a_frame_sets_its_own_pace():
    """A sketch whose draw() takes 25 ms runs at 35-40 fps without training: that is not late."""
    budget = FrameBudget()
    budget._draw_p90 = 0.025
    now = run_frames(budget, [0.027] * 10)
    assert budget.share == 1.0
    run_frames(budget, [0.045], start=now)
    assert budget.share == 0.5


def test_a_frame_that_overran_still_leaves_training_a_little_room():
    budget = FrameBudget()
    now = run_frames(budget, [PERIOD] * 3)
    late_in_frame = now + 0.020  # draw() finished after the next frame was due
    assert budget.training_deadline(late_in_frame) == pytest.approx(late_in_frame + 0.004)


def test_draw_thread_training_backs_off_too():
    budget = FrameBudget()
    now = run_frames(budget, [PERIOD] * 3)
    full = budget._deadline - now
    now = run_frames(budget, [0.030], start=now)
    assert budget._deadline - now == pytest.approx(full / 2, rel=0.05)


def test_gate_lets_work_in_until_the_deadline_then_waits_for_the_next_frame():
    gate = FrameGate()
    gate.close()
    gate.open(deadline=time.perf_counter() + 60)
    with gate.turn(timeout=0.01) as turn:
        assert turn.has_turn
    gate.close()
    gate.open(deadline=time.perf_counter() - 0.001)  # this frame's share is already spent
    with gate.turn(timeout=0.01) as turn:
        assert not turn.has_turn
    with gate.turn(timeout=0.01) as turn:
        assert not turn.has_turn  # it stays shut ...
    got_in = threading.Event()

    def worker():
        with gate.turn(timeout=2) as turn:
            if turn.has_turn:
                got_in.set()

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.05)
    assert not got_in.is_set()
    gate.close()
    gate.open()  # ... until the next frame opens it
    thread.join(timeout=5)
    assert got_in.is_set()


def test_opening_again_lifts_a_passed_deadline():
    """When the sketch ends, the scheduler opens the gate for good: a worker must not wait forever."""
    gate = FrameGate()
    gate.close()
    gate.open(deadline=time.perf_counter() - 0.001)
    with gate.turn(timeout=0.01) as turn:
        assert not turn.has_turn
    gate.open()  # not closed in between, as when the scheduler closes at the end of a sketch
    with gate.turn(timeout=0.01) as turn:
        assert turn.has_turn
