"""Tests for the resnet-fmnist and resnet-live experiments (notebook 10)."""
from dataclasses import replace

import pytest

from course_utils.data import fashion_mnist_available
from course_utils.experiments import experiment
from course_utils.experiments.resnet_fmnist import SETTINGS, build, train
from course_utils.experiments.resnet_live import SETTINGS as LIVE


def test_recipes_and_registration():
    assert experiment("resnet-fmnist").settings is SETTINGS
    assert SETTINGS["ci"].epochs <= SETTINGS["default"].epochs <= SETTINGS["full"].epochs
    assert LIVE["default"].depth <= SETTINGS["default"].depth
    model = build(replace(SETTINGS["ci"], plain=True))
    assert model.plain and len(model.blocks) == 3
    assert list(experiment("resnet-fmnist").models(SETTINGS["default"])) == ["resnet"]


def test_train_rejects_zero_epochs():
    with pytest.raises(ValueError, match="epochs"):
        train(replace(SETTINGS["ci"], epochs=0))


@pytest.mark.skipif(not fashion_mnist_available(), reason="Fashion-MNIST not available")
def test_train_tiny_run_learns_something():
    tiny = replace(SETTINGS["ci"], epochs=2, train_limit=512, test_limit=256, batch_size=32, lr=0.05)
    model, history = train(tiny, progress=False)
    assert len(history) == 2 and not model.training
    assert history.train_loss[1] < history.train_loss[0] < 2.5  # the loss falls from about ln 10
