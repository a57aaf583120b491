"""Tests for course_utils.models.alexnet: shapes, the paper's parameter count, LRN."""
import pytest
import torch
from torch import nn

from course_utils.complexity import count_params
from course_utils.models.alexnet import LRN_PAPER, alexnet, local_response_norm, small_alexnet


def _paper_count(two_gpu: bool) -> int:
    g = 2 if two_gpu else 1
    conv = lambda c_in, c_out, k, groups=1: c_out * (c_in // groups) * k * k + c_out
    fc = lambda i, o: i * o + o
    return (conv(3, 96, 11) + conv(96, 256, 5, g) + conv(256, 384, 3) + conv(384, 384, 3, g)
            + conv(384, 256, 3, g) + fc(9216, 4096) + fc(4096, 4096) + fc(4096, 1000))


@pytest.mark.parametrize("two_gpu", [True, False])
def test_alexnet_parameters_match_formula(two_gpu):
    with torch.device("meta"):
        model = alexnet(two_gpu=two_gpu)
    assert count_params(model) == _paper_count(two_gpu)
    if two_gpu:
        assert count_params(model) == 60_965_224  # "60 million parameters"


def test_grouped_layers_are_conv2_conv4_conv5():
    with torch.device("meta"):
        split, tower = alexnet(), alexnet(two_gpu=False)
    assert [m.groups for m in split.features if isinstance(m, nn.Conv2d)] == [1, 2, 1, 2, 2]
    assert [m.groups for m in tower.features if isinstance(m, nn.Conv2d)] == [1] * 5


def test_alexnet_output_shape():
    with torch.device("meta"):
        model = alexnet(num_classes=7).eval()
        assert model(torch.zeros(1, 3, 227, 227)).shape == (1, 7)
        assert model.features(torch.zeros(1, 3, 227, 227)).shape == (1, 256, 6, 6)


@pytest.mark.parametrize("two_gpu,lrn", [(True, True), (False, False)])
def test_small_alexnet_shape(two_gpu, lrn):
    model = small_alexnet(two_gpu=two_gpu, lrn=lrn, activation=nn.Tanh)
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_lrn_formula_matches_torch():
    x = torch.randn(2, 9, 4, 4) * 5
    ours = local_response_norm(x, size=5, alpha=1e-4, beta=0.75, k=2.0)
    torch_lrn = nn.LocalResponseNorm(**LRN_PAPER)(x)
    assert torch.allclose(ours, torch_lrn, atol=1e-5)


def test_lrn_rejects_wrong_rank():
    with pytest.raises(ValueError, match="N, C, H, W"):
        local_response_norm(torch.zeros(3, 4))
