"""Tests for the experiments of notebooks 05-07 (relu-vs-tanh, dropout, aux-gradient, the small
networks): fast parts only."""
import pytest
import torch

from course_utils.experiments import experiment
from course_utils.experiments._zoo import ZOO_SETTINGS
from course_utils.experiments.aux_gradient import stem_gradient_norms
from course_utils.experiments.relu_vs_tanh import running_error, steps_to_target
from course_utils.models.googlenet import small_googlenet


def test_running_error_and_steps():
    errors = [1.0, 0.8, 0.6, 0.4, 0.2, 0.2]
    assert running_error(errors, 2).tolist() == pytest.approx([0.9, 0.7, 0.5, 0.3, 0.2])
    assert steps_to_target(errors, 0.5, 2) == 4     # average of batches 3 and 4 first reaches 0.5
    assert steps_to_target(errors, 0.1, 2) is None
    with pytest.raises(ValueError, match="window"):
        running_error(errors, 10)


def test_a_window_exactly_at_the_target_counts():
    # the last 20 batch errors of a class-sized ReLU race: their mean is exactly 0.15 (sum 3.0), but
    # averaging with weights 1/20 gave 0.15000000000000002 and the finished race was counted as 800 steps
    tail = [0.109375, 0.171875, 0.1875, 0.15625, 0.140625, 0.078125, 0.109375, 0.15625, 0.140625, 0.140625,
            0.25, 0.15625, 0.109375, 0.15625, 0.140625, 0.15625, 0.125, 0.203125, 0.1875, 0.125]
    assert steps_to_target([0.9] * 5 + tail, 0.15, 20) == 25


def test_stem_gradient_norms_add_up_and_need_the_aux_head():
    torch.manual_seed(0)
    x, y = torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))
    norms = stem_gradient_norms(small_googlenet(aux=True, batch_norm=False), x, y)
    assert set(norms) == {"main", "with_aux", "aux_only"} and all(v > 0 for v in norms.values())
    # the gradient of main + 0.3 aux is the sum of the two gradients: the triangle inequality holds
    assert norms["with_aux"] <= norms["main"] + 0.3 * norms["aux_only"] + 1e-6
    with pytest.raises(ValueError, match="aux=True"):
        stem_gradient_norms(small_googlenet(aux=False), x, y)


def test_zoo_settings_grow_with_profile():
    ci, default = ZOO_SETTINGS["ci"], ZOO_SETTINGS["default"]
    assert ci.train_images < default.train_images and ci.epochs <= default.epochs


@pytest.mark.parametrize("name, model", [("small-vgg", "vgg"), ("small-googlenet", "googlenet")])
def test_small_networks_keep_their_model(name, model):
    exp = experiment(name)
    nets = exp.models(exp.settings_for("ci"))
    assert list(nets) == [model]
    assert nets[model](torch.zeros(2, 1, 28, 28)).shape == (2, 10)


def test_late_over_early():
    from course_utils.experiments.lr_sweep import late_over_early

    assert late_over_early([2.0] * 10 + [1.0] * 10, 20) == pytest.approx(0.5)
    assert late_over_early([2.0] * 10 + [float("nan")], 20) is None   # diverged, stopped early
    assert late_over_early([2.0] * 19 + [float("inf")], 20) is None


def test_shortcut_options_differ_only_in_their_projections():
    from course_utils.models.resnet import SHORTCUTS, small_resnet

    counts = [sum(p.numel() for p in small_resnet(kind).parameters()) for kind in SHORTCUTS]
    assert counts[0] < counts[1] < counts[2]
