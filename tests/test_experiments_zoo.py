"""Tests for the experiments of notebooks 04-06 (activations, auxiliary, small_zoo): fast parts only."""
import pytest
import torch

from course_utils.experiments import REGISTRY
from course_utils.experiments.activations import running_error, steps_to_target
from course_utils.experiments.auxiliary import stem_gradient_norms
from course_utils.experiments.small_zoo import small_zoo, zoo_sizes
from course_utils.models.googlenet import small_googlenet


def test_running_error_and_steps():
    errors = [1.0, 0.8, 0.6, 0.4, 0.2, 0.2]
    assert running_error(errors, 2).tolist() == pytest.approx([0.9, 0.7, 0.5, 0.3, 0.2])
    assert steps_to_target(errors, 0.5, 2) == 4     # average of batches 3 and 4 first reaches 0.5
    assert steps_to_target(errors, 0.1, 2) is None
    with pytest.raises(ValueError, match="window"):
        running_error(errors, 10)


def test_stem_gradient_norms_keys_and_aux_required():
    torch.manual_seed(0)
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    norms = stem_gradient_norms(small_googlenet(aux=True, batch_norm=False), x, y)
    assert set(norms) == {"main", "with_aux", "aux_only"} and all(v > 0 for v in norms.values())
    with pytest.raises(ValueError, match="aux=True"):
        stem_gradient_norms(small_googlenet(aux=False), x, y)


def test_zoo_sizes_grow_with_profile():
    ci, default = zoo_sizes("ci"), zoo_sizes("default")
    assert ci["train"] < default["train"] and ci["epochs"] <= default["epochs"]


def test_small_zoo_unknown_name():
    with pytest.raises(ValueError, match="googlenet"):
        small_zoo("lenet", "ci")


def test_registered():
    for name in ("relu-vs-tanh", "dropout-alexnet", "aux-gradient", "small-alexnet", "small-vgg", "small-googlenet"):
        assert name in REGISTRY
