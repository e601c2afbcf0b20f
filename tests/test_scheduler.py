"""The frame scheduler, driven by hand: one ``step()`` is one frame (no py5 needed)."""

import asyncio
import threading
import time

import pytest

from py5ml import FrameScheduler, Py5mlError, get_scheduler, next_frame, start_task


@pytest.fixture
def scheduler():
    s = FrameScheduler()
    yield s
    s.close()


@pytest.fixture
def shared():
    """The shared scheduler that ``start_task`` uses, closed afterwards so tasks don't leak."""
    s = get_scheduler()
    yield s
    s.close()


def step_until_done(scheduler, *tasks, max_steps=2000):
    for _ in range(max_steps):
        if all(t.is_done for t in tasks):
            return
        scheduler.step()
        time.sleep(0.001)  # let timers and threads come due between "frames"
    raise AssertionError(f"tasks still running after {max_steps} steps: {tasks}")


async def count_frames(log, n, tag=None):
    for i in range(n):
        log.append(i if tag is None else (tag, i))
        await next_frame()
    return "counted"


def test_task_advances_one_next_frame_per_step(scheduler):
    log = []
    task = scheduler.start_task(count_frames(log, 5))
    assert log == []  # nothing runs until the first frame
    for frame in range(1, 6):
        scheduler.step()
        assert log == list(range(frame))
        assert task.is_running and not task.is_done
    scheduler.step()
    assert task.is_done and not task.is_running
    assert task.result == "counted"
    assert task.exception is None and not task.is_cancelled
    assert scheduler.frame_count == 6


def test_result_is_none_while_running(scheduler):
    task = scheduler.start_task(count_frames([], 3))
    scheduler.step()
    assert task.result is None and task.exception is None and not task.is_cancelled


def test_task_name_defaults_to_the_coroutine_name(scheduler):
    assert scheduler.start_task(count_frames([], 1)).name == "count_frames"
    assert scheduler.start_task(count_frames([], 1), name="trainer").name == "trainer"


def test_two_tasks_take_turns_each_frame(scheduler):
    log = []
    scheduler.start_task(count_frames(log, 3, "a"))
    scheduler.start_task(count_frames(log, 3, "b"))
    scheduler.step()
    scheduler.step()
    assert sorted(log) == [("a", 0), ("a", 1), ("b", 0), ("b", 1)]


def test_cancel_runs_the_finally_block_at_once(scheduler):
    cleaned = []

    async def work():
        try:
            while True:
                await next_frame()
        finally:
            cleaned.append("finally")

    task = scheduler.start_task(work())
    scheduler.step()
    task.cancel()
    assert cleaned == ["finally"]  # without another step
    assert task.is_done and task.is_cancelled
    assert task.result is None and task.exception is None
    scheduler.step()  # stepping a cancelled task is harmless
    assert cleaned == ["finally"]


def test_pause_holds_one_task_while_others_continue(scheduler):
    held, free = [], []
    a = scheduler.start_task(count_frames(held, 10))
    scheduler.start_task(count_frames(free, 10))
    scheduler.step()
    a.pause()
    for _ in range(3):
        scheduler.step()
    assert held == [0] and free == [0, 1, 2, 3]
    assert a.is_paused and a.is_running
    a.resume()
    scheduler.step()
    assert held == [0, 1] and free == [0, 1, 2, 3, 4]


def test_cancel_of_a_paused_task_still_cleans_up(scheduler):
    cleaned = []

    async def work():
        try:
            await count_frames([], 100)
        finally:
            cleaned.append(True)

    task = scheduler.start_task(work())
    scheduler.step()
    task.pause()
    scheduler.step()
    task.cancel()
    assert cleaned == [True] and task.is_cancelled and not task.is_paused



def test_pause_holds_a_task_whose_gathered_children_await_frames(scheduler):
    log = []

    async def main():
        await asyncio.gather(count_frames(log, 5, "a"), count_frames(log, 5, "b"))

    task = scheduler.start_task(main())
    scheduler.step()
    task.pause()
    for _ in range(3):
        scheduler.step()
    assert len(log) == 2


def test_asyncio_sleep_works_inside_a_task(scheduler):
    async def nap():
        await asyncio.sleep(0.01)
        await asyncio.sleep(0)
        return "rested"

    task = scheduler.start_task(nap())
    step_until_done(scheduler, task)
    assert task.result == "rested"


def test_to_thread_works_inside_a_task(scheduler):
    async def off_thread():
        return await asyncio.to_thread(lambda: threading.current_thread().name)

    task = scheduler.start_task(off_thread())
    step_until_done(scheduler, task)
    assert task.result != threading.current_thread().name


def test_gather_works_inside_a_task(scheduler):
    async def both():
        return await asyncio.gather(count_frames([], 2), count_frames([], 3))

    task = scheduler.start_task(both())
    step_until_done(scheduler, task, max_steps=10)
    assert task.result == ["counted", "counted"]


def test_a_busy_sleep_zero_loop_cannot_hang_a_frame(scheduler):
    spins = []

    async def spin():
        while True:
            spins.append(1)
            await asyncio.sleep(0)

    scheduler.start_task(spin())
    scheduler.step()  # returns: the burst is capped
    first = len(spins)
    scheduler.step()
    assert 0 < first < len(spins)


def test_an_error_is_reported_once_and_other_tasks_keep_running(scheduler, capsys):
    async def broken():
        await next_frame()
        raise ValueError("the model exploded")

    log = []
    bad = scheduler.start_task(broken(), name="broken_task")
    good = scheduler.start_task(count_frames(log, 5))
    for _ in range(4):
        scheduler.step()  # never raises into the caller (draw() would stop)
    assert isinstance(bad.exception, ValueError) and bad.result is None and bad.is_done
    assert good.is_running and log == [0, 1, 2, 3]
    err = capsys.readouterr().err
    assert err.count("ValueError: the model exploded") == 1
    assert "'broken_task'" in err and "Traceback (most recent call last)" in err
    assert "in broken" in err  # the traceback points at the user's function
    step_until_done(scheduler, good)
    assert "exploded" not in capsys.readouterr().err


def test_close_cancels_tasks_and_runs_their_finally(scheduler):
    cleaned = []

    async def work(tag):
        try:
            await count_frames([], 100)
        finally:
            cleaned.append(tag)

    tasks = [scheduler.start_task(work(t)) for t in "ab"]
    scheduler.step()
    scheduler.close()
    assert sorted(cleaned) == ["a", "b"]
    assert all(t.is_cancelled for t in tasks)
    assert scheduler.is_closed
    scheduler.step()  # a no-op after close
    assert scheduler.frame_count == 1
    scheduler.close()  # and closing twice is fine


def test_close_does_not_wait_for_a_blocked_worker_thread(scheduler):
    release = threading.Event()
    saw_release = []

    async def work():
        await asyncio.to_thread(lambda: saw_release.append(release.wait(5)))

    scheduler.start_task(work())
    scheduler.step()
    scheduler.close()
    release.set()  # only reached before the thread's timeout if close() did not block on it
    for _ in range(500):
        if saw_release:
            break
        time.sleep(0.01)
    assert saw_release == [True]


def test_start_task_on_a_closed_scheduler_raises(scheduler):
    scheduler.close()
    coro = count_frames([], 1)
    with pytest.raises(Py5mlError, match="scheduler is closed"):
        scheduler.start_task(coro)
    coro.close()


def test_get_scheduler_gives_a_fresh_one_after_close(shared):
    shared.close()
    fresh = get_scheduler()
    try:
        assert fresh is not shared and not fresh.is_closed
        assert get_scheduler() is fresh
    finally:
        fresh.close()


async def train():
    await next_frame()


def test_start_task_without_parentheses_says_so(shared):
    with pytest.raises(TypeError, match=r"start_task\(train\(\)\).*forget the parentheses"):
        start_task(train)


def test_start_task_of_a_plain_function_result_says_so(scheduler):
    with pytest.raises(TypeError, match="needs a coroutine"):
        scheduler.start_task(42)


def test_module_start_task_runs_on_the_shared_scheduler(shared):
    log = []
    task = start_task(count_frames(log, 2))
    assert get_scheduler() is shared
    step_until_done(shared, task, max_steps=5)
    assert log == [0, 1] and task.result == "counted"


def test_next_frame_under_plain_asyncio_waits_about_a_frame():
    async def main():
        start = time.perf_counter()
        await next_frame()
        return time.perf_counter() - start

    assert asyncio.run(main()) >= 0.01  # a 60 fps frame is 16.7 ms; only the lower bound is safe

