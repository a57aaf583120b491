"""Tests for the deletion and residual probes and the block-deletion experiment (notebook 11)."""
import pytest
import torch
from torch import nn

from course_utils.experiments import experiment
from course_utils.experiments.block_deletion import SETTINGS, build_models
from course_utils.models import cifar_resnet, resnet18
from course_utils.probes import blocks_deleted, multi_deletion_errors, residual_ratios, single_deletion_errors
from course_utils.train import evaluate


def _net(plain=False):
    torch.manual_seed(0)
    return cifar_resnet(8, plain=plain, in_channels=1, width=4).eval()


def _loader():
    g = torch.Generator().manual_seed(0)
    return [(torch.randn(16, 1, 12, 12, generator=g), torch.randint(0, 10, (16,), generator=g))]


def test_deleted_block_outputs_its_shortcut_and_is_restored():
    model = _net()
    x = torch.randn(2, 1, 12, 12)
    before = model(x)
    seen = {}
    with blocks_deleted(model, [0]):  # block 0 keeps the shape
        model.blocks[0].register_forward_hook(lambda m, i, o: seen.update(inp=i[0], out=o))
        changed = model(x)
        assert torch.equal(seen["out"], seen["inp"])  # same-shape block: the identity
    assert not torch.allclose(changed, before)
    model.blocks[0]._forward_hooks.clear()
    assert torch.allclose(model(x), before)


def test_deleting_a_downsampling_block_uses_option_a():
    model = _net()
    seen = {}
    with blocks_deleted(model, [1]):
        model.blocks[1].register_forward_hook(lambda m, i, o: seen.update(out=o, inp=i[0]))
        model(torch.randn(1, 1, 12, 12))
    assert seen["out"].shape == (1, 8, 6, 6)
    assert torch.equal(seen["out"], model.blocks[1].shortcut(seen["inp"]))


def test_bad_indices_raise():
    with pytest.raises(ValueError, match="blocks 0..2"):
        with blocks_deleted(_net(), [3]):
            pass
    with pytest.raises(ValueError, match="blocks"):
        with blocks_deleted(nn.Linear(2, 2), [0]):
            pass
    with pytest.raises(ValueError):
        multi_deletion_errors(_net(), _loader(), [4])


def test_single_and_multi_deletion_errors():
    model = _net()
    single = single_deletion_errors(model, _loader())
    assert len(single) == 3 and all(0 <= e <= 1 for e in single)
    multi = multi_deletion_errors(model, _loader(), [0, 1, 3], trials=4)
    assert set(multi) == {0, 1, 3}
    assert multi[0] == [evaluate(model, _loader())["error"]]       # nothing deleted: one trial
    assert len(multi[1]) == 4 and all(e in single for e in multi[1])  # each trial is one single deletion
    with blocks_deleted(model, [0, 1, 2]):
        assert multi[3] == [evaluate(model, _loader())["error"]]   # all deleted: one choice


def test_block_deletion_is_registered_and_builds_both_kinds():
    exp = experiment("block-deletion")
    assert exp.settings is SETTINGS and SETTINGS["ci"].epochs <= SETTINGS["default"].epochs
    nets = build_models(SETTINGS["ci"])
    assert set(nets) == {"plain", "residual"}
    assert nets["plain"].plain and not nets["residual"].plain
    assert [n for n, _ in nets["plain"].named_parameters()] == [n for n, _ in nets["residual"].named_parameters()]


def test_residual_ratios_are_zero_when_f_is_zero():
    model = _net()
    ratios = residual_ratios(model, torch.randn(4, 1, 12, 12))
    assert len(ratios) == 3 and all(r > 0 for r in ratios)
    for block in model.blocks:
        nn.init.zeros_(block.bn2.weight)
        nn.init.zeros_(block.bn2.bias)
    assert residual_ratios(model, torch.randn(4, 1, 12, 12)) == pytest.approx([0, 0, 0])


def test_residual_ratios_on_imagenet_resnet_and_bad_model():
    model = resnet18(num_classes=3).train()
    assert len(residual_ratios(model, torch.randn(2, 3, 32, 32))) == 8
    assert model.training
    with pytest.raises(ValueError, match="residual"):
        residual_ratios(nn.Linear(3, 3), torch.randn(2, 3))
