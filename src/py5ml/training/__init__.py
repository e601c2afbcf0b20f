"""Training on the frame clock: TF.js's ``model.fit`` with Keras names.

- ``_fit``: ``await fit(model, x, y, ...)``, batch by batch, sharing each frame.
- ``_callbacks``: ``Callback``, ``LambdaCallback``, ``History`` and the list that fans events out.
- ``_losses``: loss and optimizer names (``"categorical_crossentropy"``, ``"sgd"``).
- ``_pacing``: how much training a frame gets (batch, epoch, milliseconds, auto).
- ``_background_epoch``: batches on a thread while py5 renders, callbacks replayed on draw.
"""
