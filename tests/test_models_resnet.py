"""Tests for course_utils.models.resnet: shapes, parameter counts by hand, Table 1, shortcuts."""
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from course_utils.complexity import count_macs, count_params
from course_utils.models import resnet18, resnet34, resnet50, resnet101, resnet152
from course_utils.models.resnet import (BasicBlock, Bottleneck, PadShortcut, PreActBlock, ResNet,
                                        layer_count, make_shortcut)

# Table 1 of He et al. 2015 (FLOPs = multiply-adds, x1e9) and the parameter counts of the models
TABLE_1 = [(resnet18, 18, 1.8, 11.69), (resnet34, 34, 3.6, 21.80), (resnet50, 50, 3.8, 25.56),
           (resnet101, 101, 7.6, 44.55), (resnet152, 152, 11.3, 60.19)]


@pytest.mark.parametrize("factory, layers, gmacs, mparams", TABLE_1)
def test_table_1_reproduced(factory, layers, gmacs, mparams):
    with torch.device("meta"):
        model = factory()
    assert layer_count(model) == layers
    assert count_macs(model) / 1e9 == pytest.approx(gmacs, rel=0.03)
    assert count_params(model) / 1e6 == pytest.approx(mparams, abs=0.01)


def test_stride_on_3x3_is_the_more_expensive_v1_5():
    v1 = Bottleneck(256, 128, stride=2)
    v15 = Bottleneck(256, 128, stride=2, stride_on_3x3=True)
    assert count_params(v1) == count_params(v15)
    assert count_macs(v15, (256, 56, 56)) > count_macs(v1, (256, 56, 56))


def test_basic_block_parameters_by_hand():
    block = BasicBlock(16, 32, stride=2, shortcut="B")
    convs = 16 * 32 * 9 + 32 * 32 * 9
    bns = 2 * 2 * 32
    projection = 16 * 32 + 2 * 32
    assert count_params(block) == convs + bns + projection
    assert count_params(BasicBlock(16, 32, stride=2, shortcut="A")) == convs + bns


def test_bottleneck_parameters_by_hand():
    block = Bottleneck(256, 64)  # 256 -> 64 -> 64 -> 256, identity shortcut
    assert isinstance(block.shortcut, nn.Identity)
    assert count_params(block) == 256 * 64 + 64 * 64 * 9 + 64 * 256 + 2 * (64 + 64 + 256)


@pytest.mark.parametrize("kind, same, changed", [("A", nn.Identity, PadShortcut),
                                                  ("B", nn.Identity, nn.Sequential),
                                                  ("C", nn.Sequential, nn.Sequential)])
def test_shortcut_options(kind, same, changed):
    assert isinstance(make_shortcut(8, 8, 1, kind), same)
    assert isinstance(make_shortcut(8, 16, 2, kind), changed)


def test_identity_shortcut_passes_input_through():
    block = BasicBlock(4, 4).eval()
    for p in block.conv2.parameters():  # F(x) = 0 when the last BN outputs zero
        nn.init.zeros_(p)
    x = torch.rand(2, 4, 6, 6)  # non-negative, as after a ReLU
    assert torch.allclose(block(x), x)
    assert torch.allclose(block.residual(x), torch.zeros_like(x))


def test_preact_block_has_no_relu_after_the_addition():
    block = PreActBlock(4, 4).eval()
    x = -torch.rand(1, 4, 5, 5)  # negative input survives: y = x + F(x)
    assert torch.allclose(block(x), x + block.residual(x))
    assert (block(x) < 0).any()


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([BasicBlock, Bottleneck, PreActBlock]), st.integers(1, 8), st.integers(1, 6),
       st.sampled_from([1, 2]), st.integers(3, 9), st.sampled_from(["B", "C"]))
def test_block_output_shape(block_cls, c_in, width, stride, size, shortcut):
    block = block_cls(c_in, width, stride, shortcut)
    y = block(torch.randn(2, c_in, size, size))
    out = -(-size // stride)
    assert y.shape == (2, width * block_cls.expansion, out, out)


def test_small_input_network_and_blocks():
    model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10, in_channels=1, width=8, small_input=True)
    assert model(torch.randn(3, 1, 28, 28)).shape == (3, 10)
    assert len(model.blocks) == 4 and layer_count(model) == 10
    pre = ResNet(PreActBlock, [1, 1, 1, 1], num_classes=5, width=4, small_input=True)
    assert pre(torch.randn(2, 3, 16, 16)).shape == (2, 5)


def test_imagenet_shapes_on_a_small_picture():
    assert resnet18(num_classes=7)(torch.randn(1, 3, 64, 64)).shape == (1, 7)


@pytest.mark.parametrize("kwargs", [dict(layers=[2, 2, 2]), dict(layers=[2, 0, 2, 2]), dict(width=0),
                                    dict(shortcut="D")])
def test_bad_configuration_raises(kwargs):
    args = dict(block=BasicBlock, layers=[2, 2, 2, 2]) | kwargs
    with pytest.raises(ValueError):
        ResNet(**args)


def test_option_a_cannot_remove_channels_and_input_must_be_4d():
    with pytest.raises(ValueError, match="add channels"):
        make_shortcut(16, 8, 1, "A")
    with pytest.raises(ValueError, match=r"\[N, C, H, W\]"):
        resnet18()(torch.randn(3, 32, 32))
