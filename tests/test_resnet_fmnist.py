"""Tests for course_utils.experiments.resnet_fmnist (notebook 09)."""
from dataclasses import replace

import pytest
import torch

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


def test_load_shipped_builds_the_stored_recipe(tmp_path, monkeypatch):
    from dataclasses import asdict

    from course_utils.experiments.resnet_fmnist import NAME, Recipe, build, load_shipped
    from course_utils.results import save_result, save_weights

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="make results"):
        load_shipped("default")
    stored = Recipe(depth=8, epochs=1, width=4)  # not what recipe("default") says today
    model = build(stored)
    save_result(NAME, {"recipe": asdict(stored)}, seconds=1.0, profile="default")
    save_weights(model, NAME, "default")
    loaded = load_shipped("default")
    assert not loaded.training
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), loaded.state_dict().values()))
