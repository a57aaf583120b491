"""Tests for course_utils.detection.metrics: AP and mAP on hand-worked examples."""

import numpy as np
import pytest
import torch

from course_utils.detection.metrics import average_precision, match_detections, mean_average_precision, precision_recall

BOX_A = [0.0, 0.0, 10.0, 10.0]
BOX_B = [20.0, 20.0, 30.0, 30.0]


def gt(*boxes_labels):
    return {"boxes": torch.tensor([b for b, _ in boxes_labels]).reshape(-1, 4),
            "labels": torch.tensor([lab for _, lab in boxes_labels], dtype=torch.long)}


def det(*rows):
    return {"boxes": torch.tensor([b for b, _, _ in rows]).reshape(-1, 4),
            "scores": torch.tensor([s for _, s, _ in rows]), "labels": torch.tensor([lab for *_, lab in rows], dtype=torch.long)}


def test_perfect_detections_give_ap_one_and_none_give_zero():
    truths = [gt((BOX_A, 1), (BOX_B, 2)), gt((BOX_B, 1))]
    perfect = [det((BOX_A, 0.9, 1), (BOX_B, 0.8, 2)), det((BOX_B, 0.7, 1))]
    assert mean_average_precision(perfect, truths, 2) == {"ap": [1.0, 1.0], "map": 1.0}
    nothing = [det(), det()]
    assert mean_average_precision(nothing, truths, 2)["map"] == 0.0


def test_hand_worked_ap():
    # class 1 has 2 objects; detections by score: hit, miss, hit -> precision 1, 1/2, 2/3 at
    # recall 1/2, 1/2, 1 -> envelope 1 on [0, 1/2], 2/3 on [1/2, 1] -> AP = 1/2 + 1/3 = 5/6
    truths = [gt((BOX_A, 1), (BOX_B, 1))]
    dets = [det((BOX_A, 0.9, 1), ([40.0, 40.0, 50.0, 50.0], 0.8, 1), (BOX_B, 0.7, 1))]
    scores, hits, total = match_detections(dets, truths, 1)
    assert hits.tolist() == [True, False, True] and total == 2
    recall, precision = precision_recall(hits, total)
    assert np.allclose(precision, [1, 0.5, 2 / 3]) and np.allclose(recall, [0.5, 0.5, 1])
    assert average_precision(recall, precision) == pytest.approx(5 / 6)


def test_duplicates_are_false_positives_and_labels_matter():
    truths = [gt((BOX_A, 1))]
    dets = [det((BOX_A, 0.9, 1), (BOX_A, 0.8, 1), (BOX_A, 0.95, 2))]
    _, hits, _ = match_detections(dets, truths, 1)
    assert hits.tolist() == [True, False]
    result = mean_average_precision(dets, truths, 2)
    assert result["ap"][0] == 1.0 and np.isnan(result["ap"][1]) and result["map"] == 1.0


def test_iou_threshold_decides_a_hit():
    truths = [gt((BOX_A, 1))]
    shifted = [det(([4.0, 0.0, 14.0, 10.0], 0.9, 1))]        # IoU 60 / 140 = 0.43
    assert mean_average_precision(shifted, truths, 1, 0.5)["map"] == 0.0
    assert mean_average_precision(shifted, truths, 1, 0.4)["map"] == 1.0


def test_errors():
    with pytest.raises(ValueError, match="images"):
        match_detections([det()], [], 1)
    with pytest.raises(ValueError, match="same shape"):
        average_precision(np.zeros(2), np.zeros(3))
