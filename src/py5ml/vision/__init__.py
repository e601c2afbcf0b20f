"""Images in, labels out: pretrained backbones, transfer learning and capture.

- ``_feature_extractor``: ``feature_extractor("MobileNet")``, ml5's featureExtractor.
- ``_backbones``, ``_efficientnet_lite``: torchvision MobileNets and the offline EfficientNet-Lite0.
- ``_transfer_model``, ``_transfer_model_files``, ``_example_store``: a small head trained on
  your own labels, its examples and its files.
- ``_inference_worker``, ``_image_input``: backbone work off the draw thread; any image to RGB.
- ``_capture``, ``_capture_sources``, ``_synthetic_scene``: camera, video, folders, a test scene.
"""
