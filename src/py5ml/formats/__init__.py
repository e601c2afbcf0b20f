"""Model files people share: TF.js Layers files (py5ml's, ml5's, Teachable Machine's), read safely.

- ``_model_files``: ``save_model`` / ``load_model`` (``model.json`` + ``model.weights.bin``).
- The TF.js Layers interpreter: ``_tfjs_topology`` (nested Sequential / functional models, one flat
  checked graph), ``_tfjs_layers`` and ``_tfjs_spatial`` (each layer checked, shapes worked out),
  ``_tfjs_config`` (reading a layer's config), ``_tfjs_modules`` (the NHWC torch modules),
  ``_tfjs_model`` (plan -> weights -> module). ``_tfjs_format`` writes torch models as TF.js layers.
- ``_weights_manifest``: the weights manifest and raw float32 shards, checked before they are read.
- ``_ml5_files``, ``_ml5_save``: ml5 0.x / 1.x featureExtractor files, and ml5 0.x's layout for saves.
- ``_teachable_machine``: Teachable Machine's ``metadata.json``.
- ``_json_files``, ``_tfjs_download``: bounded JSON reading; fetching a TF.js model folder once.
- ``_atomic_files``: a save is complete or absent, never half-written.
"""
