"""Model files people share: TensorFlow.js Layers files, read safely and written atomically.

- ``_model_files``: ``save_model`` / ``load_model`` (``model.json`` + ``model.weights.bin``).
- ``_tfjs_format``: the Layers topology, checked before any weights are read.
- ``_weights_manifest``: the weights manifest and raw float32 shards.
- ``_atomic_files``: a save is complete or absent, never half-written.
"""
