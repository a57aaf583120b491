"""Tests for the detection set (course_utils.detection.dataset) and selective search proposals."""

import numpy as np
import pytest
import torch

from course_utils.detection.boxes import box_iou
from course_utils.detection.dataset import make_detection_set
from course_utils.detection.proposals import proposal_recall, proposals_for, selective_search


@pytest.fixture(scope="module")
def small_sets():
    return make_detection_set("train", 12, seed=3), make_detection_set("test", 12, seed=3)


def test_canvases_boxes_and_labels_are_consistent(small_sets):
    train, _ = small_sets
    assert train.images.shape == (12, 1, 64, 64) and train.images.dtype == torch.float32
    assert 0 <= float(train.images.min()) and float(train.images.max()) <= 1
    for boxes, labels in zip(train.boxes, train.labels):
        assert 1 <= len(boxes) <= 3 and len(labels) == len(boxes)
        assert bool(((boxes >= 0) & (boxes <= 64)).all())
        assert bool((boxes[:, 2:] > boxes[:, :2]).all())
        assert bool(((labels >= 1) & (labels <= train.num_classes)).all())
        iou = box_iou(boxes, boxes).fill_diagonal_(0)
        assert float(iou.max()) <= 0.1 + 1e-6


def test_boxes_are_tight_around_bright_pixels():
    data = make_detection_set("train", 5, noise=0.0, clutter=0, seed=1)
    for image, boxes in zip(data.images[:, 0], data.boxes):
        mask = torch.zeros_like(image, dtype=torch.bool)
        for x1, y1, x2, y2 in boxes.long().tolist():
            inside = image[y1:y2, x1:x2]
            assert float(inside[0].max()) > 0.1 and float(inside[-1].max()) > 0.1     # top and bottom rows touched
            assert float(inside[:, 0].max()) > 0.1 and float(inside[:, -1].max()) > 0.1
            mask[y1:y2, x1:x2] = True
        assert float(image[~mask].max()) <= 0.1                                     # nothing bright outside


def test_same_seed_same_canvases_and_splits_use_their_own_pictures(small_sets):
    train, test = small_sets
    again = make_detection_set("train", 12, seed=3)
    assert torch.equal(train.images, again.images)
    assert all(torch.equal(a, b) for a, b in zip(train.boxes, again.boxes))
    assert train.split == "train" and test.split == "test"
    used = torch.cat(train.sources)
    assert len(used.unique()) == len(used)                     # no picture used twice in a set
    assert not torch.equal(train.images, test.images)


def test_bad_settings_say_what_fits():
    with pytest.raises(ValueError, match="min_size"):
        make_detection_set("train", 2, min_size=40, max_size=30)
    with pytest.raises(ValueError, match="classes"):
        make_detection_set("train", 2, classes=(1, 1))


def test_selective_search_boxes_and_recall(small_sets):
    _, test = small_sets
    props = proposals_for(test.images[:6])
    for p in props:
        assert p.dim() == 2 and p.shape[1] == 4 and len(p) >= 1
        assert bool(((p >= 0) & (p <= 64)).all()) and bool((p[:, 2:] - p[:, :2] >= 6).all())
    assert proposal_recall(props, test.boxes[:6]) >= 0.5          # most objects are found at IoU 0.5
    with pytest.raises(ValueError, match="grey image"):
        selective_search(np.zeros((2, 3, 8, 8)))


def test_proposal_recall_hand_case():
    gt = [torch.tensor([[0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]])]
    props = [torch.tensor([[0.0, 0.0, 10.0, 12.0]])]
    assert proposal_recall(props, gt) == 0.5
    with pytest.raises(ValueError, match="no ground-truth"):
        proposal_recall([torch.zeros(0, 4)], [torch.zeros(0, 4)])


def test_take_keeps_the_first_canvases(small_sets):
    train, _ = small_sets
    few = train.take(3)
    assert len(few) == 3 and torch.equal(few.images, train.images[:3]) and few.sources[2] is train.sources[2]
    with pytest.raises(ValueError, match="at least 1"):
        train.take(0)
