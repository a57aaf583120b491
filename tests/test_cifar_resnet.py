"""Tests for course_utils.models.cifar_resnet: shapes, the paper's parameter counts, plain vs residual."""
import pytest
import torch
from torch import nn

from course_utils.models import cifar_resnet
from course_utils.models.resnet import BasicBlock, PadShortcut


@pytest.mark.parametrize("depth, millions", [(20, 0.27), (32, 0.46), (44, 0.66), (56, 0.85), (110, 1.7)])
def test_parameter_counts_match_table_6(depth, millions):
    params = sum(p.numel() for p in cifar_resnet(depth).parameters())
    digits = len(str(millions).split(".")[1])  # the paper rounds to 2 (or 1) decimals
    assert round(params / 1e6, digits) == millions


def test_output_shape_and_block_count():
    model = cifar_resnet(20, in_channels=1, num_classes=7, width=4)
    assert model(torch.randn(2, 1, 28, 28)).shape == (2, 7)
    assert model(torch.randn(2, 1, 32, 32)).shape == (2, 7)
    assert len(model.blocks) == 9 and all(isinstance(b, BasicBlock) for b in model.blocks)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) + 1 == 20  # 6n+2 weighted layers: 19 convolutions and the classifier


def test_plain_differs_only_by_shortcuts():
    torch.manual_seed(0)
    res = cifar_resnet(14, in_channels=1, width=4)
    torch.manual_seed(0)
    plain = cifar_resnet(14, plain=True, in_channels=1, width=4)
    shapes = lambda m: [(k, v.shape) for k, v in m.state_dict().items()]  # noqa: E731
    assert shapes(res) == shapes(plain)
    plain.load_state_dict(res.state_dict())
    x = torch.randn(3, 1, 16, 16)
    assert not torch.allclose(res.eval()(x), plain.eval()(x))
    for block in plain.blocks:  # same residual branch; only the addition is missing
        block.plain = False
    assert torch.allclose(res(x), plain(x))


def test_block_residual_plus_shortcut_is_forward():
    block = cifar_resnet(8, width=4).blocks[1].eval()  # first block of stage 2: stride 2, 4 -> 8
    assert isinstance(block.shortcut, PadShortcut)
    x = torch.randn(2, 4, 8, 8)
    out = block(x)
    assert out.shape == (2, 8, 4, 4)
    assert torch.allclose(out, torch.relu(block.residual(x) + block.shortcut(x)))


def test_option_a_shortcut_zero_pads_channels():
    x = torch.randn(1, 2, 4, 4)
    y = PadShortcut(2, 6, 2)(x)
    assert y.shape == (1, 6, 2, 2)
    assert torch.equal(y[:, 2:4], x[:, :, ::2, ::2])
    assert y[:, :2].abs().sum() == 0 and y[:, 4:].abs().sum() == 0


def test_blocks_can_be_deleted_at_test_time():
    model = cifar_resnet(20, width=4).eval()
    model.stages[0][1] = nn.Identity()
    assert model(torch.randn(1, 3, 32, 32)).shape == (1, 10)
    assert len(model.blocks) == 9 and isinstance(model.blocks[1], nn.Identity)


@pytest.mark.parametrize("depth", [0, 7, 19, 21])
def test_bad_depth_raises_with_suggestion(depth):
    with pytest.raises(ValueError, match="6n\\+2"):
        cifar_resnet(depth)


def test_bad_width_raises():
    with pytest.raises(ValueError, match="width=0"):
        cifar_resnet(20, width=0)
    with pytest.raises(ValueError, match="c_out"):
        PadShortcut(8, 4, 2)
