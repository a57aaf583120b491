"""Tests for course_utils.viz: every helper returns a Figure with the expected axes and artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from course_utils.train import History
from course_utils.viz import plot_bars, plot_history, show_feature_maps, show_images


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def shown(fig: Figure) -> list:
    """The axes that hold an image."""
    return [ax for ax in fig.axes if ax.images]


def test_show_images_grid_and_titles():
    images = torch.rand(10, 1, 8, 8)
    fig = show_images(images, [f"n{k}" for k in range(10)], ncols=4, suptitle="grid")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12 and len(shown(fig)) == 10  # 3 rows of 4; two empty cells
    assert [ax.get_title() for ax in shown(fig)][:3] == ["n0", "n1", "n2"]
    assert fig._suptitle.get_text() == "grid"


@pytest.mark.parametrize("image, shape", [
    (torch.rand(1, 5, 6), (5, 6)), (torch.rand(5, 6), (5, 6)), (torch.rand(3, 5, 6), (5, 6, 3)),
    (np.random.rand(5, 6, 3), (5, 6, 3)), (np.random.rand(5, 6), (5, 6)),
])
def test_show_images_accepts_each_layout(image, shape):
    fig = show_images([image])
    (ax,) = fig.axes
    assert ax.images[0].get_array().shape == shape


def test_show_images_colour_is_stretched_to_unit_range():
    fig = show_images([torch.full((3, 4, 4), -2.0) + torch.arange(16.0).view(1, 4, 4)])
    data = np.asarray(fig.axes[0].images[0].get_array())
    assert data.min() == 0.0 and data.max() == 1.0


def test_show_images_fewer_than_columns():
    fig = show_images(torch.rand(3, 4, 4), ncols=8)
    assert len(fig.axes) == 3


def test_show_images_empty_is_a_value_error():
    with pytest.raises(ValueError, match="at least one image"):
        show_images([])


def test_show_images_too_few_titles_is_a_value_error():
    with pytest.raises(ValueError, match="3 images but only 2 titles"):
        show_images(torch.rand(3, 4, 4), ["a", "b"])
    assert len(show_images(torch.rand(2, 4, 4), ["a", "b", "c"]).axes) == 2  # extra titles are ignored


def test_show_images_bad_ncols_is_a_value_error():
    with pytest.raises(ValueError, match="ncols"):
        show_images(torch.rand(2, 4, 4), ncols=0)


@pytest.mark.parametrize("shape", [(6, 5, 5), (1, 6, 5, 5)])
def test_show_feature_maps(shape):
    fig = show_feature_maps(torch.rand(shape), ncols=4, title="conv1")
    assert len(shown(fig)) == 6 and len(fig.axes) == 8
    assert shown(fig)[5].get_title() == "#5" and fig._suptitle.get_text() == "conv1"


def test_show_feature_maps_caps_the_count():
    fig = show_feature_maps(torch.rand(50, 3, 3), max_maps=10)
    assert len(shown(fig)) == 10


def test_show_feature_maps_of_a_batch_shows_the_first_image():
    maps = torch.zeros(2, 3, 5, 5)
    maps[1] = 1.0
    fig = show_feature_maps(maps)
    assert len(shown(fig)) == 3
    assert all(np.asarray(ax.images[0].get_array()).max() == 0.0 for ax in shown(fig))


@pytest.mark.parametrize("shape", [(5, 5), (5,), (1, 2, 3, 4, 5)])
def test_show_feature_maps_bad_shape(shape):
    with pytest.raises(ValueError, match=r"\[C, H, W\]"):
        show_feature_maps(torch.rand(shape))


def test_plot_history_lines_per_run_and_metric():
    a = History([{"train_error": 0.5, "test_error": 0.6}, {"train_error": 0.3, "test_error": 0.4}])
    b = {"train_error": [0.4, 0.2, 0.1], "test_error": [0.5, 0.3, 0.2]}
    fig = plot_history({"plain": a, "resnet": b}, title="errors")
    (ax,) = fig.axes
    assert len(ax.lines) == 4
    assert ax.get_ylabel() == "error (%)" and ax.get_title() == "errors"
    first = ax.lines[0]
    assert list(first.get_xdata()) == [1, 2] and list(first.get_ydata()) == pytest.approx([50.0, 30.0])
    assert ax.lines[1].get_linewidth() > first.get_linewidth()  # test curves bold
    assert len(ax.get_legend().get_texts()) == 4


def test_plot_history_skips_missing_metrics_and_uses_given_axes():
    fig, ax = plt.subplots()
    out = plot_history({"run": {"train_loss": [2.0, 1.0]}}, metrics=("train_loss", "test_loss"), ax=ax,
                       percent=False)
    assert out is fig and len(ax.lines) == 1
    assert list(ax.lines[0].get_ydata()) == [2.0, 1.0] and ax.get_ylabel() == "train_loss, test_loss"


def test_plot_bars():
    fig = plot_bars({"LeNet": 61_706, "AlexNet": 6.1e7, "VGG-16": 1.38e8}, ylabel="parameters", log=True,
                    title="size")
    (ax,) = fig.axes
    assert len(ax.patches) == 3 and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["LeNet", "AlexNet", "VGG-16"]
    assert [t.get_text() for t in ax.texts] == ["6.17e+04", "6.1e+07", "1.38e+08"]
    assert ax.get_ylabel() == "parameters" and ax.get_title() == "size"


def test_plot_bars_empty_is_a_value_error():
    with pytest.raises(ValueError, match="at least one"):
        plot_bars({})
