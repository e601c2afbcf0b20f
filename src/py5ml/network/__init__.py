"""``NeuralNetwork``, in the spirit of ml5.neuralNetwork.

- ``_neural_network``: add data, normalize, train on the frame clock, classify or predict.
- ``_training_data``: the examples, checked as they come in, and their normalization.
"""
