"""``NeuralNetwork``, in the spirit of ml5.neuralNetwork.

- ``_neural_network``: the class: add data, normalize, train on the frame clock, classify or predict.
- ``_options``: ml5 0.x's defaults per task; options as keywords or an ml5-style dict, checked.
- ``_train_args``: ``train()``'s ml5 positional forms and keywords, checked at the call.
- ``_training_data``: the examples, checked as they come in (lists or dicts, text inputs).
- ``_encoding``: columns, one-hot legends, min/max scaling; ml5's ``model_meta.json``.
- ``_layers``: the torch model, from the default layers or ml5's ``layers=[...]``.
- ``_network_files``: save and load, ml5's files both ways.
"""
