"""Images in, labels out: pretrained backbones, transfer learning and capture.

- ``_feature_extractor``: ``feature_extractor("MobileNet")``, ml5's featureExtractor.
- ``_image_classifier``: ``image_classifier("MobileNet")`` or a Teachable Machine export, ml5's imageClassifier.
- ``_backbones``, ``_efficientnet_lite``: torchvision MobileNets and the offline EfficientNet-Lite0.
- ``_tfjs_backbones``, ``_mobilenet_v1``, ``_tfjs_preprocess``: backbones from TF.js files (ml5's
  MobileNet v1, a Teachable Machine export's MobileNetV2) and their makers' picture preparation.
- ``_transfer_model``, ``_transfer_model_files``, ``_example_store``: a small head trained on
  your own labels, its examples and its files.
- ``_head_options``: the head's settings in ml5's names (``num_labels``, ``epochs``...), checked.
- ``_knn``, ``_knn_files``: ``KNNClassifier`` (ml5's KNN classifier) and its files in ml5's format.
- ``_inference_worker``, ``_image_input``: backbone work off the draw thread; any image to RGB.
- ``_capture``, ``_capture_sources``, ``_synthetic_scene``: camera, video, folders, a test scene.
"""
