"""The frame clock: coroutines that advance once per py5 frame.

- ``_scheduler``: ``start_task``, ``next_frame``, ``Task``; a private asyncio loop run in one
  burst per frame.
- ``_frame_budget``: how much of a frame background work may take.
- ``_frame_gate``: keeps a training thread out of ``draw()``.
- ``_py5_hooks``: attaches the scheduler to a running sketch (pre-draw hook, exit hook).
- ``_user_callbacks``: calls a sketch's callback as ``(error, results)``, ``(results)`` or ``()``.
- ``_jvm_options``: asks py5's JVM for the quick JIT when py5ml is imported first.
- ``_long_lived``: freezes long-lived objects out of Python's full garbage collections.
"""
