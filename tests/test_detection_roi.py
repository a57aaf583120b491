"""Tests for course_utils.detection.roi: torchvision's RoI-pool bin arithmetic on hand-made inputs."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.detection.roi import roi_pool, roi_pool_naive, warp_crops


def test_roi_pool_whole_map_is_max_pool():
    x = torch.arange(16.0).view(1, 1, 4, 4)
    out = roi_pool(x, torch.tensor([[0.0, 0.0, 0.0, 3.0, 3.0]]), 2)
    assert out.tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]


def test_roi_pool_hand_worked_bins():
    # 8x8 map holding 8*row+col; box (2, 6, 22, 26) at scale 1/4 -> cells x 0.5->1 .. 5.5->6 and
    # y 1.5->2 .. 6.5->7 (C rounding: half away from zero); 6 x 6 cells -> bins of 3 x 3.
    x = torch.arange(64.0).view(1, 1, 8, 8)
    out = roi_pool(x, torch.tensor([[0.0, 2.0, 6.0, 22.0, 26.0]]), 2, 0.25)
    assert out[0, 0].tolist() == [[35.0, 38.0], [59.0, 62.0]]


def test_roi_pool_uneven_bins_overlap_and_empty_bins_are_zero():
    x = torch.arange(25.0).view(1, 1, 5, 5)
    # 5 columns into 2 bins: floor(0)..ceil(2.5)=3 and floor(2.5)=2..5 -> the middle column is shared
    out = roi_pool(x, torch.tensor([[0.0, 0.0, 0.0, 4.0, 0.0]]), (1, 2))
    assert out.tolist() == [[[[2.0, 4.0]]]]
    # a box entirely outside the map pools nothing: zeros
    far = roi_pool(x, torch.tensor([[0.0, 40.0, 40.0, 50.0, 50.0]]), 2)
    assert far.abs().sum() == 0


def test_roi_pool_uses_batch_index_and_gradients_reach_the_max():
    x = torch.zeros(2, 1, 4, 4)
    x[1, 0, 2, 3] = 7.0
    x.requires_grad_(True)
    out = roi_pool(x, torch.tensor([[1.0, 0.0, 0.0, 3.0, 3.0]]), 1)
    assert out.item() == 7.0
    out.sum().backward()
    assert x.grad[1, 0, 2, 3] == 1.0 and x.grad.sum() == 1.0


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 10), w=st.integers(1, 10), oh=st.integers(1, 4), ow=st.integers(1, 4),
       scale=st.sampled_from([1.0, 0.5, 0.25]), seed=st.integers(0, 10_000))
def test_roi_pool_matches_the_loops(h, w, oh, ow, scale, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2, 3, h, w, generator=g)
    corners = torch.rand(6, 4, generator=g) * torch.tensor([w, h, w, h]) / scale * 1.4 - 3
    rois = torch.cat([torch.randint(0, 2, (6, 1), generator=g).float(), corners], 1)
    assert torch.equal(roi_pool(x, rois, (oh, ow), scale), roi_pool_naive(x, rois, (oh, ow), scale))


def test_roi_pool_errors():
    with pytest.raises(ValueError, match=r"\[K, 5\]"):
        roi_pool(torch.zeros(1, 1, 4, 4), torch.zeros(2, 4), 2)
    with pytest.raises(ValueError, match="batch indices"):
        roi_pool(torch.zeros(1, 1, 4, 4), torch.tensor([[3.0, 0, 0, 1, 1]]), 2)
    with pytest.raises(ValueError, match="positive"):
        roi_pool(torch.zeros(1, 1, 4, 4), torch.tensor([[0.0, 0, 0, 1, 1]]), 0)
    assert roi_pool(torch.zeros(1, 2, 4, 4), torch.zeros(0, 5), 3).shape == (0, 2, 3, 3)


def test_warp_crops_whole_image_is_identity_and_shapes():
    x = torch.rand(2, 1, 8, 8)
    crops = warp_crops(x, torch.tensor([[1.0, 0.0, 0.0, 8.0, 8.0], [0.0, 2.0, 2.0, 6.0, 4.0]]), 8)
    assert crops.shape == (2, 1, 8, 8)
    assert torch.allclose(crops[0], x[1], atol=1e-5)
