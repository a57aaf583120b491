"""Tests for course_utils.widgets.init_bn and widgets.degradation, without a browser."""
import matplotlib
import pytest
import torch

matplotlib.use("Agg")

from course_utils.widgets.degradation import (degradation_explorer, describe_gradients,  # noqa: E402
                                               draw_gradients, figure6)
from course_utils.widgets.init_bn import (describe_init_bn, draw_init_bn, init_bn_explorer,  # noqa: E402
                                          layer_stds)

X = torch.randn(64, 784)


def test_layer_stds_show_xavier_vanishing_and_he_keeping_scale():
    xavier, he = layer_stds(30, "xavier", False, X), layer_stds(30, "he", False, X)
    assert len(he) == 30
    assert xavier[-1] < 1e-2 * xavier[0]
    assert 0.2 < he[-1] / he[0] < 5
    rescued = layer_stds(30, "xavier", True, X)
    assert 0.2 < rescued[-1] / rescued[0] < 5          # batch norm re-scales every layer


def test_draw_and_describe():
    fig = draw_init_bn(12, "he", True, X, panels=4)
    assert len(fig.axes) == 4
    assert "12 layers, he init, batch norm on" in describe_init_bn(12, "he", True, X)
    assert len(draw_init_bn(1, "xavier", False, X).axes) == 1


def test_impossible_settings_raise():
    with pytest.raises(ValueError, match="depth=0"):
        draw_init_bn(0, "he", False, X)
    with pytest.raises(ValueError, match="init='lecun'"):
        layer_stds(3, "lecun", False, X)


def test_explorer_set_redraws():
    explorer = init_bn_explorer()
    assert explorer.error is None and "xavier" in explorer.text
    explorer.set(depth=8, init="he", bn=True)
    assert explorer.error is None and "8 layers, he init, batch norm on" in explorer.text


RESULTS = {name: {"train_error": [0.5, 0.4], "test_error": [0.55, 0.45],
                  "grad_norms": [[1.0, 0.5, 0.2], [0.3, 0.2, 0.1], [0.2, 0.1, 0.1]]}
           for name in ("plain-20", "plain-56", "resnet-20", "resnet-56")}


def test_degradation_figures_and_explorer():
    assert len(figure6(RESULTS, "caption").axes) == 2
    assert len(draw_gradients(RESULTS, 2).axes[0].lines) == 4
    assert "plain-20: 0.2..1 |" in describe_gradients(RESULTS, 0)   # smallest, then largest
    assert "resnet-56: 0.1..0.2" in describe_gradients(RESULTS, 2)
    with pytest.raises(ValueError, match="epochs 0 to 2"):
        draw_gradients(RESULTS, 3)
    with pytest.raises(ValueError, match="no 'resnet-N' run"):
        figure6({"plain-20": RESULTS["plain-20"]})
    explorer = degradation_explorer({"live": RESULTS})
    assert explorer.error is None and explorer.text.startswith("epoch 0")
    explorer.set(epoch=2)
    assert explorer.error is None and explorer.text.startswith("epoch 2")
    with pytest.raises(ValueError, match="at least one"):
        degradation_explorer({})
