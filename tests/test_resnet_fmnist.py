"""Tests for course_utils.experiments.resnet_fmnist (notebook 09)."""
from dataclasses import replace

import pytest

from course_utils.data import fashion_mnist_available
from course_utils.experiments import REGISTRY
from course_utils.experiments.resnet_fmnist import build, live_recipe, recipe, resnet_fmnist, train


def test_recipes_and_registration():
    assert REGISTRY["resnet-fmnist"] is resnet_fmnist
    assert recipe("ci").epochs <= recipe("default").epochs <= recipe("full").epochs
    assert live_recipe("default").depth <= recipe("default").depth
    model = build(replace(recipe("ci"), plain=True))
    assert model.plain and len(model.blocks) == 3


def test_train_rejects_zero_epochs():
    with pytest.raises(ValueError, match="epochs"):
        train(replace(recipe("ci"), epochs=0))


@pytest.mark.skipif(not fashion_mnist_available(), reason="Fashion-MNIST not available")
def test_train_tiny_run_learns_something():
    tiny = replace(recipe("ci"), epochs=2, train_limit=512, test_limit=256, batch_size=32, lr=0.05)
    model, history = train(tiny, progress=False)
    assert len(history) == 2 and not model.training
    assert history.train_loss[1] < history.train_loss[0] < 2.5  # the loss falls from about ln 10
