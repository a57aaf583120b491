"""Tests for course_utils.detection.boxes, nms and anchors: hand-worked cases and properties."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.detection.anchors import anchor_shapes, make_anchors, num_anchors
from course_utils.detection.boxes import box_area, box_iou, clip_boxes, decode_boxes, encode_boxes
from course_utils.detection.nms import batched_nms, nms


def random_boxes(n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * 50
    wh = torch.rand(n, 2, generator=g) * 30 + 0.5
    return torch.cat([xy, xy + wh], 1)


def test_box_iou_hand_cases():
    a = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    b = torch.tensor([[0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0], [20.0, 20.0, 30.0, 30.0], [2.0, 2.0, 4.0, 4.0]])
    iou = box_iou(a, b)
    assert iou.shape == (1, 4)
    assert torch.allclose(iou, torch.tensor([[1.0, 50 / 150, 0.0, 4 / 100]]))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 8), m=st.integers(0, 8), seed=st.integers(0, 10_000))
def test_box_iou_symmetric_and_bounded(n, m, seed):
    a, b = random_boxes(n, seed), random_boxes(m, seed + 1)
    iou = box_iou(a, b)
    assert iou.shape == (n, m)
    assert torch.allclose(iou, box_iou(b, a).T)
    assert bool(((iou >= 0) & (iou <= 1)).all())
    if n:
        assert torch.allclose(box_iou(a, a).diagonal(), torch.ones(n))


def test_box_area_and_clip():
    boxes = torch.tensor([[0.0, 0.0, 4.0, 3.0], [5.0, 5.0, 4.0, 9.0]])
    assert box_area(boxes).tolist() == [12.0, 0.0]
    assert clip_boxes(torch.tensor([[-3.0, 2.0, 70.0, 80.0]]), 64, 60).tolist() == [[0.0, 2.0, 60.0, 64.0]]


def test_bad_box_shape_says_what_fits():
    with pytest.raises(ValueError, match=r"\[N, 4\]"):
        box_iou(torch.zeros(3, 5), torch.zeros(2, 4))


def test_encode_hand_case_and_round_trip():
    ref = torch.tensor([[0.0, 0.0, 10.0, 20.0]])
    target = torch.tensor([[5.0, 0.0, 25.0, 20.0]])
    deltas = encode_boxes(ref, target)
    assert torch.allclose(deltas, torch.tensor([[1.0, 0.0, math.log(2.0), 0.0]]))
    boxes = random_boxes(20, 3)
    refs = random_boxes(20, 4)
    for w in [(1.0, 1.0, 1.0, 1.0), (10.0, 10.0, 5.0, 5.0)]:
        assert torch.allclose(decode_boxes(refs, encode_boxes(refs, boxes, w), w), boxes, atol=1e-4)


def test_encode_rejects_empty_reference_and_mismatch():
    with pytest.raises(ValueError, match="x2 > x1"):
        encode_boxes(torch.tensor([[0.0, 0.0, 0.0, 5.0]]), torch.tensor([[0.0, 0.0, 3.0, 5.0]]))
    with pytest.raises(ValueError, match="one to one"):
        encode_boxes(torch.zeros(2, 4), torch.zeros(3, 4))


def test_nms_hand_case():
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 0.0, 11.0, 10.0], [20.0, 0.0, 30.0, 10.0], [5.0, 0.0, 15.0, 10.0]])
    scores = torch.tensor([0.8, 0.9, 0.7, 0.6])
    # box 1 (best) suppresses box 0 (IoU 9/11); box 3 has IoU 6/14 with box 1 and survives at 0.5
    assert nms(boxes, scores, 0.5).tolist() == [1, 2, 3]
    assert nms(boxes, scores, 0.4).tolist() == [1, 2]
    # IoU exactly at the threshold is kept ("greater than" suppresses)
    pair = torch.tensor([[0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0]])
    assert nms(pair, torch.tensor([0.9, 0.8]), 1 / 3).tolist() == [0, 1]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 30), seed=st.integers(0, 10_000), thr=st.floats(0.05, 0.95))
def test_nms_properties(n, seed, thr):
    boxes = random_boxes(n, seed)
    scores = torch.rand(n, generator=torch.Generator().manual_seed(seed))
    keep = nms(boxes, scores, thr)
    assert keep.dtype == torch.long
    assert len(set(keep.tolist())) == len(keep)
    assert bool((scores[keep][:-1] >= scores[keep][1:]).all())            # best first
    iou = box_iou(boxes[keep], boxes[keep]).fill_diagonal_(0)
    assert len(keep) < 2 or float(iou.max()) <= thr                        # no kept pair above thr
    dropped = torch.ones(n, dtype=torch.bool)
    dropped[keep] = False
    if dropped.any():                                                       # each drop has a reason
        assert bool((box_iou(boxes[dropped], boxes[keep]).amax(1) > thr).all())


def test_nms_rejects_bad_input():
    with pytest.raises(ValueError, match="one per box"):
        nms(torch.zeros(3, 4), torch.zeros(2), 0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nms(torch.zeros(1, 4), torch.zeros(1), 1.5)


def test_batched_nms_keeps_other_classes():
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 10.0]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    assert batched_nms(boxes, scores, torch.tensor([1, 2, 1]), 0.5).tolist() == [0, 1]
    assert batched_nms(torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.long), 0.5).numel() == 0


def test_anchor_shapes_keep_area_and_ratio():
    shapes = anchor_shapes((16, 32), (0.5, 1.0, 2.0))
    assert shapes.shape == (6, 4)
    w, h = shapes[:, 2] - shapes[:, 0], shapes[:, 3] - shapes[:, 1]
    assert torch.allclose(w * h, torch.tensor([256.0] * 3 + [1024.0] * 3))
    assert torch.allclose(h / w, torch.tensor([0.5, 1.0, 2.0] * 2))


def test_make_anchors_count_order_and_centres():
    anchors = make_anchors(2, 3, 4, (8,), (1.0,))
    assert anchors.shape == (num_anchors(2, 3, (8,), (1.0,)), 4) == (6, 4)
    assert anchors[0].tolist() == [-2.0, -2.0, 6.0, 6.0]     # cell (0, 0), centre (2, 2)
    assert anchors[1].tolist() == [2.0, -2.0, 10.0, 6.0]     # next cell to the right
    assert num_anchors(38, 50, (128, 256, 512), (0.5, 1, 2)) == 17100


def test_anchor_errors():
    with pytest.raises(ValueError, match="positive"):
        anchor_shapes((), (1.0,))
    with pytest.raises(ValueError, match="at least 1x1"):
        num_anchors(0, 4, (8,), (1.0,))
