"""How much a shift changes a representation (notebooks 01 and 04; course_utils.probes.shift)."""

import pytest
import torch

from course_utils.probes.shift import (conv_pool_features, edge_kernels, flatten_pixels,
                                                       shift_images, shift_similarity)


def test_shift_images_moves_and_fills():
    x = torch.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    right = shift_images(x, 1)
    assert right[0, 0, :, 0].tolist() == [0, 0, 0, 0] and torch.equal(right[0, 0, :, 1:], x[0, 0, :, :3])
    down_left = shift_images(x, -1, 2, fill=-1.0)
    assert (down_left[0, 0, :2] == -1).all() and torch.equal(down_left[0, 0, 2:, :3], x[0, 0, :2, 1:])
    assert torch.equal(shift_images(x, 0, 0), x)
    with pytest.raises(ValueError, match=r"use \|dx\| < 4"):
        shift_images(x, 4)


def test_features_shapes_and_bad_pool():
    x = torch.rand(3, 1, 28, 28)
    assert edge_kernels().shape == (4, 1, 3, 3)
    assert flatten_pixels(x).shape == (3, 784)
    assert conv_pool_features(x).shape == (3, 4 * 4 * 4)
    assert conv_pool_features(x, pool="avg", window=2).shape == (3, 4 * 14 * 14)
    assert conv_pool_features(x, pool=None).shape == (3, 4 * 28 * 28)
    with pytest.raises(ValueError, match="pool must be"):
        conv_pool_features(x, pool="min")


def test_similarity_is_one_for_no_shift_and_drops_for_a_bar():
    bar = torch.zeros(1, 1, 28, 28)
    bar[..., 4:24, 10:12] = 1.0                                     # a thin vertical bar
    sims = shift_similarity(bar, {"pixels": flatten_pixels, "pooled": conv_pool_features}, shifts=(0, 1, 2))
    assert sims["pixels"][0] == pytest.approx(1.0) and sims["pooled"][0] == pytest.approx(1.0)
    assert sims["pixels"][1] == pytest.approx(0.5, abs=1e-6)       # half the bar still overlaps
    assert sims["pixels"][2] == pytest.approx(0.0, abs=1e-6)       # no overlap at all
    assert sims["pooled"][2] > 0.5                                  # pooled features still agree
