"""Tests for course_utils.models.googlenet: Inception widths, paper's counts, auxiliary heads."""
import pytest
import torch

from course_utils.complexity import count_macs, count_params
from course_utils.models.googlenet import INCEPTION_TABLE, GoogLeNetOutput, Inception, googlenet, small_googlenet


def test_inception_shape_and_params_by_hand():
    module = Inception(8, 2, 3, 4, 1, 2, 5)
    assert module(torch.zeros(1, 8, 6, 6)).shape == (1, 2 + 4 + 2 + 5, 6, 6)
    expected = (8 * 2 + 2) + (8 * 3 + 3) + (3 * 4 * 9 + 4) + (8 * 1 + 1) + (1 * 2 * 25 + 2) + (8 * 5 + 5)
    assert count_params(module) == expected


def test_naive_inception_keeps_input_channels():
    module = Inception(8, 2, 0, 4, 0, 2, 0, reduce=False)
    assert module(torch.zeros(1, 8, 5, 5)).shape == (1, 2 + 4 + 2 + 8, 5, 5)
    with pytest.raises(ValueError, match="positive"):
        Inception(8, 2, 0, 4, 0, 2, 0)


def test_table_outputs_match_paper():
    assert sum(INCEPTION_TABLE["3a"][i] for i in (0, 2, 4, 5)) == 256
    assert sum(INCEPTION_TABLE["5b"][i] for i in (0, 2, 4, 5)) == 1024


def test_paper_figures_within_tolerance():
    with torch.device("meta"):
        model = googlenet(aux=False)
    assert abs(count_params(model) / 6.8e6 - 1) < 0.05
    assert abs(count_macs(model) / 1.5e9 - 1) < 0.08


def test_aux_heads_only_in_training():
    with torch.device("meta"):
        model = googlenet(num_classes=5)
    x = torch.zeros(1, 3, 224, 224, device="meta")
    out = model.train()(x)
    assert isinstance(out, GoogLeNetOutput) and out.aux1.shape == (1, 5) and out.aux2.shape == (1, 5)
    assert model.eval()(x).shape == (1, 5)


def test_small_googlenet_modes_and_any_size():
    model = small_googlenet()
    logits, aux = model.train()(torch.zeros(2, 1, 28, 28))
    assert logits.shape == (2, 10) and aux.shape == (2, 10)
    with torch.no_grad():
        assert model.eval()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    no_aux = small_googlenet(aux=False).eval()
    with torch.no_grad():
        assert no_aux(torch.zeros(1, 1, 40, 40)).shape == (1, 10)  # GAP: any input size


def test_batch_norm_only_where_asked():
    from torch import nn
    with torch.device("meta"):
        big = googlenet()
    assert not any(isinstance(m, nn.BatchNorm2d) for m in big.modules())
    assert any(isinstance(m, nn.BatchNorm2d) for m in small_googlenet().modules())
    assert not any(isinstance(m, nn.BatchNorm2d) for m in small_googlenet(batch_norm=False).modules())
    module = Inception(8, 2, 3, 4, 1, 2, 5, batch_norm=True)
    # conv weights without biases + 2 BN parameters per channel
    convs = 8 * 2 + 8 * 3 + 3 * 4 * 9 + 8 * 1 + 1 * 2 * 25 + 8 * 5
    assert count_params(module) == convs + 2 * (2 + 3 + 4 + 1 + 2 + 5)
