"""Tests for notebook 12's explorers (without a browser) and exercise checkers."""

import math

import pytest
import torch

from answers import stub
from course_utils.checks import detection as chk
from course_utils.detection.boxes import box_iou
from course_utils.widgets import detection as wd


def test_iou_explorer_draws_describes_and_explains_bad_settings():
    ex = wd.iou_explorer()
    assert ex.error is None and "IoU 0.429" in ex.text            # 12*20 / (800 - 240)
    ex.set(shift=40.0)
    assert "IoU 0.000" in ex.text
    ex.set(width=0.0)
    assert ex.error is not None and "positive width" in ex.error
    assert ex.figure is not None                                   # the last good picture stays
    assert "IoU = 0.43" in wd.draw_iou(8, 20, 20).axes[0].get_title()


def test_nms_explorer_keeps_fewer_boxes_at_lower_thresholds():
    ex = wd.nms_explorer()
    counts = []
    for thr in (0.1, 0.5, 0.9):
        ex.set(iou_threshold=thr)
        counts.append(int(ex.text.split()[1]))
    assert counts[0] <= counts[1] <= counts[2] <= 18 and counts[0] >= 3
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        wd.draw_nms(1.5)


def iou_right(a, b):
    iw = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def test_check_iou_right_wrong_stub_and_crash():
    assert chk.check_iou(iou_right).status == "pass"
    assert chk.check_iou(stub).status == "todo"
    crash = chk.check_iou(lambda a, b: 1 / 0)
    assert crash.status == "fail" and "ZeroDivisionError" in crash.message
    for wrong, words in [(chk._iou_no_clamp, "clamp"), (chk._iou_sum_union, "subtract"), (chk._iou_plus_one, "+ 1")]:
        result = chk.check_iou(wrong)
        assert result.status == "fail" and words in result.message


def nms_right(boxes, scores, thr):
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    kept = []
    for i in order:
        if all(iou_right(boxes[i], boxes[j]) <= thr for j in kept):
            kept.append(i)
    return kept


def test_check_nms_right_wrong_stub_and_crash():
    assert chk.check_nms(nms_right).status == "pass"
    assert chk.check_nms(lambda b, s, t: torch.tensor(nms_right(b, s, t))).status == "pass"
    assert chk.check_nms(stub).status == "todo"
    assert chk.check_nms(lambda b, s, t: [][1]).status == "fail"
    for wrong, words in [(chk._nms_geq, "greater"), (chk._nms_unsorted, "highest score"),
                         (chk._nms_against_all, "suppresses nothing")]:
        result = chk.check_nms(wrong)
        assert result.status == "fail" and words in result.message


def test_check_roi_bin_and_anchor_count():
    assert chk.roi_bin_answer() == 38.0
    assert chk.check_roi_bin(38).status == "pass"
    assert chk.check_roi_bin(...).status == "todo"
    assert "+ 1 cells" in chk.check_roi_bin(37.0).message
    assert "nearest cell" in chk.check_roi_bin(29.0).message
    assert chk.check_anchor_count(38 * 50 * 9).status == "pass"
    assert "3 x 3" in chk.check_anchor_count(38 * 50 * 3).message
    assert chk.check_anchor_count(None).status == "todo"


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv("COURSE_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError):
        chk.check_anchor_count(1)


def test_candidate_boxes_are_reproducible():
    a, b = wd.candidate_boxes(3), wd.candidate_boxes(3)
    assert torch.equal(a[0], b[0]) and a[0].shape == (18, 4)
    assert math.isclose(float(box_iou(wd.FIXED_BOX, wd.FIXED_BOX)), 1.0)


def test_show_detections_hides_low_scores_and_checks_input():
    from course_utils.detection.draw import draw_boxes, show_detections

    images = torch.zeros(2, 1, 16, 16)
    found = [{"boxes": torch.tensor([[1.0, 1.0, 8.0, 8.0], [2.0, 2.0, 9.0, 9.0]]), "scores": torch.tensor([0.9, 0.2]),
              "labels": torch.tensor([1, 2])}, {"boxes": torch.zeros(0, 4)}]
    fig = show_detections(images, found, class_names=("a", "b"), truths=[{"boxes": torch.zeros(0, 4)}] * 2)
    assert len(fig.axes[0].patches) == 1 and fig.axes[0].texts[0].get_text() == "a 0.90"
    with pytest.raises(ValueError, match="one detection dict per image"):
        show_detections(images, found[:1])
    with pytest.raises(ValueError, match=r"\[N, 4\]"):
        draw_boxes(fig.axes[0], torch.zeros(3))
