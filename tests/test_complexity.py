"""Tests for course_utils.complexity: counts worked out by hand, and agreement with torchinfo."""
import pytest
import torch
import torchinfo
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from course_utils.complexity import count_macs, count_params, format_table, layer_macs, layer_table


def test_conv_macs_by_hand():
    conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
    # 8 output channels × 10×10 positions × 3 inputs × 3×3 weights
    assert count_macs(conv, (3, 10, 10)) == 8 * 10 * 10 * 3 * 9
    assert count_params(conv) == 8 * 3 * 9 + 8


def test_grouped_conv_halves_macs_and_weights():
    full = nn.Conv2d(8, 16, 3, bias=False)
    grouped = nn.Conv2d(8, 16, 3, groups=2, bias=False)
    assert count_params(grouped) * 2 == count_params(full)
    assert count_macs(grouped, (8, 9, 9)) * 2 == count_macs(full, (8, 9, 9))
    assert count_macs(grouped, (8, 9, 9)) == 16 * 7 * 7 * 4 * 9


def test_linear_macs_by_hand():
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 5), nn.ReLU(), nn.Linear(5, 2))
    assert count_macs(model, (3, 2, 2)) == 12 * 5 + 5 * 2
    assert count_params(model) == 12 * 5 + 5 + 5 * 2 + 2


def test_layer_macs_ignores_other_modules():
    assert layer_macs(nn.ReLU(), torch.zeros(1, 4, 3, 3)) == 0


def test_trainable_only():
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    model[0].requires_grad_(False)
    assert count_params(model, trainable_only=True) == 3 * 2 + 2
    assert count_params(model) == 4 * 3 + 3 + 3 * 2 + 2


def test_table_rows_shapes_and_mode_restored():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout())
    model.train()
    rows = layer_table(model, (1, 10, 10))
    assert [r.kind for r in rows] == ["Conv2d", "ReLU", "MaxPool2d", "Dropout"]
    assert rows[0].output_shape == (4, 8, 8) and rows[2].output_shape == (4, 4, 4)
    assert rows[0].params == 40 and rows[1].params == 0
    assert model.training  # restored
    text = format_table(rows, only_weighted=True)
    assert "Conv2d" in text and "ReLU" not in text and "total" in text


def test_meta_device_counts_without_memory():
    with torch.device("meta"):
        model = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.Conv2d(64, 64, 3, padding=1))
    macs = count_macs(model, (3, 224, 224))
    assert macs == 224 * 224 * 64 * (3 * 9 + 64 * 9)


def test_bad_input_shape_raises():
    with pytest.raises(ValueError, match="input_shape"):
        count_macs(nn.Conv2d(1, 1, 3), (1, 0, 5))


class _SmallNet(nn.Module):
    def __init__(self, groups: int, bias: bool):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 8, 5, stride=2, padding=2, bias=bias)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, groups=groups, bias=bias)
        self.head = nn.Linear(8 * 6 * 6, 10, bias=bias)

    def forward(self, x):
        x = torch.relu(self.conv2(torch.relu(self.conv1(x))))
        return self.head(x.flatten(1))


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_agrees_with_torchinfo_without_bias(groups):
    model = _SmallNet(groups, bias=False)
    info = torchinfo.summary(model, input_size=(1, 4, 12, 12), verbose=0)
    assert count_macs(model, (4, 12, 12)) == info.total_mult_adds
    assert count_params(model) == info.total_params


def test_agrees_with_torchinfo_up_to_bias_terms():
    model = _SmallNet(2, bias=True)
    info = torchinfo.summary(model, input_size=(1, 4, 12, 12), verbose=0)
    # torchinfo also counts one add per bias per output position: 8·6·6 twice and 10 for the head
    assert count_macs(model, (4, 12, 12)) + 8 * 36 + 8 * 36 + 10 == info.total_mult_adds


@settings(max_examples=25, deadline=None)
@given(c_in=st.integers(1, 6), c_out=st.integers(1, 6), k=st.integers(1, 4),
       stride=st.integers(1, 3), size=st.integers(4, 12))
def test_conv_formula_any_shape(c_in, c_out, k, stride, size):
    conv = nn.Conv2d(c_in, c_out, k, stride=stride)
    out = (size - k) // stride + 1
    assert count_macs(conv, (c_in, size, size)) == c_out * out * out * c_in * k * k
