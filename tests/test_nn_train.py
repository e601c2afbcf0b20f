"""train() in ml5's positional forms and with keywords, every setting checked at the call, and
callbacks in the shape they are written."""

import time

import numpy as np
import pytest
import torch

from py5ml import DataError, ModelFileError, NeuralNetwork, get_scheduler

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture
def shared():
    s = get_scheduler()
    yield s
    s.close()


def run(scheduler, task, max_steps=3000):
    for _ in range(max_steps):
        if task.is_done:
            break
        scheduler.step()
        time.sleep(0.0005)
    assert task.is_done
    return task


def two_blobs(seed=0, **options):
    nn = NeuralNetwork(seed=seed, **options)
    rng = np.random.default_rng(seed)
    for i in range(40):
        nn.add_data((rng.normal(size=2) + (3 if i % 2 else -3)).tolist(), "AB"[i % 2])
    return nn


def test_ml5_forms_options_while_training_when_done(shared):
    calls = []

    def while_training(epoch, logs):
        calls.append(("epoch", epoch, sorted(logs)))

    def finished_training():
        calls.append(("done",))

    nn = two_blobs()
    run(shared, nn.train({"epochs": 3, "batch_size": 8}, while_training, finished_training))
    assert [c[:2] for c in calls] == [("epoch", 0), ("epoch", 1), ("epoch", 2), ("done",)]
    assert calls[0][2] == ["acc", "loss", "val_acc", "val_loss"]


@pytest.mark.parametrize("form", ["options+done", "while+done", "done", "keywords", "error-first"])
def test_every_train_form_calls_when_done_once(shared, form):
    done, epochs = [], []
    finished = lambda: done.append("done")              # noqa: E731 - the ml5 shape, no arguments
    while_training = lambda logs: epochs.append(logs["loss"])  # noqa: E731 - one argument: the logs
    nn = two_blobs()
    task = {
        "options+done": lambda: nn.train({"epochs": 2}, finished),
        "while+done": lambda: nn.train(while_training, finished),
        "done": lambda: nn.train(finished),
        "keywords": lambda: nn.train(epochs=2, while_training=while_training, when_done=lambda history: done.append(history)),
        "error-first": lambda: nn.train({"epochs": 2}, lambda error, history: done.append((error, history))),
    }[form]()
    run(shared, task)
    assert task.exception is None and len(done) == 1
    if form == "keywords":
        assert done[0] is nn.history and len(epochs) == 2
    if form == "error-first":
        assert done[0] == (None, nn.history)
    if form == "while+done":
        assert len(epochs) == 10  # ml5's default: 10 epochs


def test_a_failed_training_goes_to_an_error_first_when_done(shared):
    nn = two_blobs(learning_rate=1e9, optimizer="sgd", task="classification")
    nn2 = NeuralNetwork(task="regression", optimizer="sgd", learning_rate=1e9, seed=0)
    for x in range(40):
        nn2.add_data([x], [x * 3.0])
    got = []
    task = nn2.train({"epochs": 50}, lambda error, history: got.append((error, history)))
    run(shared, task)
    assert task.exception is None and len(got) == 1
    error, history = got[0]
    assert "lower learning rate" in str(error) and history is None
    assert nn2.model is None and not nn.is_trained


@pytest.mark.parametrize("args, kwargs, message", [
    ((), {"epochs": 0}, "epochs must be between 1"),
    (({"epochs": 0},), {}, "epochs must be between 1"),
    ((), {"batch_size": 0}, "batch_size must be between 1"),
    ((), {"epochs": "10"}, "epochs must be a whole number"),
    ((), {"epochs": True}, "epochs must be a whole number"),
    ((), {"epochs": 10**40}, "epochs must be between 1"),
    ((), {"learning_rate": 0.1}, "unexpected keyword"),
    ((), {"validation_split": "0.1"}, "validation_split must be a number"),
    ((), {"validation_split": 1}, r"validation_split must be in \[0, 1\)"),
    ((), {"shuffle": "yes"}, "shuffle must be True or False"),
    ((), {"yield_every": "often"}, "yield_every"),
    (({"batchSize": 12},), {}, "ml5's 'batchSize' is called batch_size in py5ml: use batch_size=12"),
    (({"learningRate": 0.1},), {}, "ml5's 'learningRate' is called learning_rate"),
    (({"epochs": 2}, "finished"), {}, "an options dict, then functions"),
    (({"epochs": 2},), {"epochs": 3}, "got epochs twice"),
    ((print,), {"when_done": print}, "got when_done twice"),
    ((), {"when_done": 3}, "when_done must be a function"),
    ((), {"callbacks": print}, "callbacks must be a list"),
])
def test_bad_settings_raise_at_the_call_and_change_nothing(shared, args, kwargs, message):
    nn = two_blobs()
    with pytest.raises((DataError, TypeError), match=message):
        nn.train(*args, **kwargs)
    assert nn.model is None and nn.task_handle is None and nn.encoding is None


def test_load_while_training_stops_that_training_and_keeps_the_loaded_model(shared, tmp_path):
    first = two_blobs()
    run(shared, first.train({"epochs": 2}))
    path = first.save(tmp_path)
    nn = two_blobs(seed=3)
    done = []
    task = nn.train({"epochs": 100_000, "batch_size": 1}, lambda error, history: done.append(error),
                    yield_every="batch")
    for _ in range(3):
        shared.step()
    nn.load(path)
    for _ in range(5):
        shared.step()
    assert task.is_cancelled and not nn.is_training
    assert nn.classify([3, 3]) == first.classify([3, 3])  # the loaded model, not restored by the old run


def test_a_failed_load_changes_nothing_and_leaves_torchs_random_state(shared, tmp_path):
    nn = two_blobs()
    run(shared, nn.train({"epochs": 2}))
    task = nn.train({"epochs": 100_000, "batch_size": 1}, yield_every="batch")
    shared.step()
    model, encoding = nn.model, nn.encoding
    (tmp_path / "model.json").write_text('{"modelTopology": {"class_name": "Sequential", "config": []}}')
    rng = torch.random.get_rng_state()
    with pytest.raises(ModelFileError):
        nn.load(tmp_path / "model.json")
    assert torch.equal(rng, torch.random.get_rng_state())
    assert nn.model is model and nn.encoding is encoding and nn.is_training and task.is_running
    nn.stop_training()
    run(shared, task)


def test_a_good_load_does_not_draw_from_torchs_random_state(shared, tmp_path):
    nn = two_blobs()
    run(shared, nn.train({"epochs": 1}))
    path = nn.save(tmp_path)
    rng = torch.random.get_rng_state()
    NeuralNetwork().load(path)
    assert torch.equal(rng, torch.random.get_rng_state())


def test_cancelling_mid_training_gives_back_the_previous_model(shared):
    nn = two_blobs()
    run(shared, nn.train({"epochs": 2}))
    trained = nn.model
    task = nn.train({"epochs": 100_000, "batch_size": 1}, yield_every="batch")
    shared.step()
    assert nn.model is not trained
    task.cancel()
    shared.step()
    assert nn.model is trained and nn.is_trained


def test_training_again_mid_training_keeps_the_last_good_model_to_fall_back_on(shared):
    nn = two_blobs()
    run(shared, nn.train({"epochs": 2}))
    trained = nn.model
    first = nn.train({"epochs": 100_000, "batch_size": 1}, yield_every="batch")
    shared.step()
    second = nn.train({"epochs": 100_000, "batch_size": 1}, yield_every="batch")
    shared.step()
    assert first.is_cancelled and second.is_running
    second.cancel()
    shared.step()
    assert nn.model is trained  # not the half-trained model of the first run
