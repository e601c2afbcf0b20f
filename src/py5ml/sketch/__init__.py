"""What a sketch draws and reads: the live loss graph, buttons and sliders, shared flags.

- ``_loss_graph``: ``LossGraph``, a training plot that is also a callback.
- ``_ui``: ``UI``, ``Button``, ``Slider``.
- ``_sketch_args``: ``--frames`` and ``--screenshot`` for every sketch.
"""
