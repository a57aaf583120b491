"""Tests for course_utils.models.vgg: configurations, Table 2 counts, shapes."""
import pytest
import torch
from torch import nn

from course_utils.complexity import count_macs, count_params
from course_utils.models.vgg import CONFIGS, make_features, small_vgg, vgg, vgg11, vgg13, vgg16, vgg19


def _formula(config, in_channels=3, side=7, classes=1000):
    total, c = 0, in_channels
    for item in config:
        if item != "M":
            total += item * c * 9 + item
            c = item
    return total + (c * side * side * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * classes + classes)


@pytest.mark.parametrize("factory,letter,millions", [(vgg11, "A", 133), (vgg13, "B", 133),
                                                     (vgg16, "D", 138), (vgg19, "E", 144)])
def test_table2_parameter_counts(factory, letter, millions):
    with torch.device("meta"):
        model = factory()
    assert count_params(model) == _formula(CONFIGS[letter])
    assert round(count_params(model) / 1e6) == millions


def test_weight_layers_in_name():
    for factory, depth in [(vgg11, 11), (vgg13, 13), (vgg16, 16), (vgg19, 19)]:
        with torch.device("meta"):
            model = factory()
        assert sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in model.modules()) == depth


def test_vgg19_macs():
    with torch.device("meta"):
        assert abs(count_macs(vgg19()) / 1e9 - 19.6) < 0.05


def test_lrn_and_batch_norm_options():
    with torch.device("meta"):
        a_lrn = vgg("A", lrn=True)
        bn = vgg("A", batch_norm=True)
    assert sum(isinstance(m, nn.LocalResponseNorm) for m in a_lrn.modules()) == 1
    assert count_params(a_lrn) == _formula(CONFIGS["A"])  # LRN has no parameters: A-LRN = A
    assert sum(isinstance(m, nn.BatchNorm2d) for m in bn.modules()) == 8
    feats = make_features([8, "M", 8], in_channels=8, batch_norm=True, lrn_after_first=True)
    assert sum(isinstance(m, nn.LocalResponseNorm) for m in feats) == 1


def test_features_shape_and_bad_config():
    feats = make_features([4, "M", 6, "M"], in_channels=1)
    assert feats(torch.zeros(2, 1, 16, 12)).shape == (2, 6, 4, 3)
    with pytest.raises(ValueError, match="positive width"):
        make_features([4, "P"])


def test_small_vgg_shape_and_count():
    model = small_vgg(batch_norm=False, config=[4, "M"], hidden=8)
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert count_params(model) == (4 * 9 + 4) + (4 * 14 * 14 * 8 + 8) + (8 * 8 + 8) + (8 * 10 + 10)
    assert small_vgg()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
