"""Checkers for notebook 12's exercises: IoU, NMS, one RoI-pool bin by hand, anchors per feature map."""

from __future__ import annotations

import math

import torch

from ..detection.anchors import num_anchors
from ..detection.boxes import box_iou
from ..detection.nms import nms
from ..detection.roi import roi_pool
from .core import Case, CheckResult, Mistake, check_function, check_value

# --------------------------------------------------------------------------- exercise 12.1: IoU


def _iou_reference(a: tuple, b: tuple) -> float:
    return float(box_iou(torch.tensor([a], dtype=torch.float64), torch.tensor([b], dtype=torch.float64))[0, 0])


def _iou_no_clamp(a: tuple, b: tuple) -> float:
    iw, ih = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def _iou_sum_union(a: tuple, b: tuple) -> float:
    iw, ih = max(0, min(a[2], b[2]) - max(a[0], b[0])), max(0, min(a[3], b[3]) - max(a[1], b[1]))
    return iw * ih / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]))


def _iou_plus_one(a: tuple, b: tuple) -> float:
    iw, ih = max(0, min(a[2], b[2]) - max(a[0], b[0]) + 1), max(0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
    union = (a[2] - a[0] + 1) * (a[3] - a[1] + 1) + (b[2] - b[0] + 1) * (b[3] - b[1] + 1) - iw * ih
    return iw * ih / union


IOU_CASES = [
    Case(((0, 0, 10, 10), (0, 0, 10, 10)), label="a box with itself"),
    Case(((0, 0, 10, 10), (5, 0, 15, 10)), label="half-shifted twins"),
    Case(((0, 0, 4, 4), (2, 2, 6, 6)), label="corner overlap"),
    Case(((0, 0, 10, 10), (20, 20, 30, 30)), label="far apart"),
    Case(((0, 0, 10, 10), (12, 0, 20, 10)), label="side by side with a gap"),
    Case(((0, 0, 10, 10), (2, 2, 5, 5)), label="one inside the other"),
]


def check_iou(student) -> CheckResult:
    """Exercise 12.1: ``iou(a, b)`` of two boxes given as ``(x1, y1, x2, y2)`` tuples -> float."""
    return check_function("iou", student, _iou_reference, IOU_CASES, [
        Mistake(_iou_no_clamp, "when the boxes do not overlap, the intersection's width or height is "
                               "negative: clamp each at 0 before multiplying."),
        Mistake(_iou_sum_union, "the union counts the overlap twice if you just add the two areas: "
                                "subtract the intersection once."),
        Mistake(_iou_plus_one, "the course (like torchvision) measures width as x2 - x1, without the old "
                               "'+ 1' pixel convention."),
    ])


# --------------------------------------------------------------------------- exercise 12.2: NMS


def _nms_reference(boxes: list, scores: list, threshold: float) -> list[int]:
    return nms(torch.tensor(boxes, dtype=torch.float64), torch.tensor(scores, dtype=torch.float64), threshold).tolist()


def _nms_geq(boxes: list, scores: list, threshold: float) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    kept: list[int] = []
    for i in order:
        if all(_iou_reference(boxes[i], boxes[j]) < threshold for j in kept):
            kept.append(i)
    return kept


def _nms_unsorted(boxes: list, scores: list, threshold: float) -> list[int]:
    kept: list[int] = []
    for i in range(len(boxes)):
        if all(_iou_reference(boxes[i], boxes[j]) <= threshold for j in kept):
            kept.append(i)
    return kept


def _nms_against_all(boxes: list, scores: list, threshold: float) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [i for k, i in enumerate(order)
            if all(_iou_reference(boxes[i], boxes[j]) <= threshold for j in order[:k])]


NMS_CASES = [
    Case(([(0, 0, 10, 10)], [0.9], 0.5), label="one box"),
    Case(([(0, 0, 10, 10), (1, 0, 11, 10)], [0.6, 0.9], 0.5), label="two near-duplicates, second better"),
    Case(([(0, 0, 10, 10), (20, 0, 30, 10), (0, 1, 10, 11)], [0.9, 0.8, 0.7], 0.5), label="a pair and a loner"),
    Case(([(0, 0, 10, 10), (5, 0, 15, 10)], [0.9, 0.8], 1 / 3), label="IoU exactly at the threshold"),
    Case(([(0, 0, 10, 10), (4, 0, 14, 10), (8, 0, 18, 10)], [0.9, 0.8, 0.7], 0.3), label="a chain of three"),
]


def check_nms(student) -> CheckResult:
    """Exercise 12.2: ``greedy_nms(boxes, scores, threshold)`` -> kept indices, best score first."""
    def as_list(fn):
        def run(*args):
            out = fn(*args)
            return [int(i) for i in (out.tolist() if isinstance(out, torch.Tensor) else out)]
        return run
    return check_function("greedy_nms", as_list(student) if callable(student) else student, _nms_reference,
                          NMS_CASES, [
        Mistake(_nms_geq, "a box is suppressed only when its IoU is *greater* than the threshold; "
                          "an IoU equal to it survives."),
        Mistake(_nms_unsorted, "visit the boxes from the highest score down, not in the order given."),
        Mistake(_nms_against_all, "compare a box only with the boxes you kept, not with every better "
                                  "box: a suppressed box suppresses nothing."),
    ])


# --------------------------------------------------------------------------- exercise 12.3: one RoI bin

ROI_FEATURES = torch.arange(64, dtype=torch.float32).view(1, 1, 8, 8)
"""The 8 x 8 feature map of exercise 12.3: cell (row, col) holds ``8 * row + col``."""
ROI_BOX = (0.0, 2.0, 6.0, 22.0, 26.0)
"""Exercise 12.3's RoI: (batch index, x1, y1, x2, y2) in image pixels; spatial scale 1/4, output 2 x 2."""


def roi_bin_answer(row: int = 0, col: int = 1) -> float:
    """The value :func:`roi_pool` gives for bin ``(row, col)`` of exercise 12.3."""
    out = roi_pool(ROI_FEATURES, torch.tensor([ROI_BOX]), 2, 0.25)
    return float(out[0, 0, row, col])


def _wrong_bin(round_fn, plus_one: bool) -> float:
    f = ROI_FEATURES[0, 0]
    x1, y1, x2, y2 = (round_fn(v * 0.25) for v in ROI_BOX[1:])
    w = (x2 - x1 + (1 if plus_one else 0)) / 2
    h = (y2 - y1 + (1 if plus_one else 0)) / 2
    rows = slice(y1, min(y1 + math.ceil(h), 8))
    cols = slice(x1 + math.floor(w), min(x1 + math.ceil(2 * w), 8))
    return float(f[rows, cols].max())


def check_roi_bin(value) -> CheckResult:
    """Exercise 12.3: the maximum RoI pooling puts in the top-right bin (row 0, column 1)."""
    hints = [(_wrong_bin(lambda v: int(math.floor(v)), True), "round the scaled corners to the nearest cell "
              "(6/4 = 1.5 rounds to 2, away from zero), do not floor them."),
             (_wrong_bin(lambda v: int(math.copysign(math.floor(abs(v) + 0.5), v)), False),
              "the RoI covers round(x2) - round(x1) + 1 cells: both corner cells are inside.")]
    return check_value("RoI-pool bin (0, 1)", value, roi_bin_answer(), hints)


# --------------------------------------------------------------------------- exercise 12.4: anchors

ANCHOR_MAP = (38, 50)
"""Exercise 12.4: a 38 x 50 feature map (a 600 x 800 image at stride 16), 3 sizes x 3 ratios."""


def check_anchor_count(value) -> CheckResult:
    """Exercise 12.4: how many anchors the RPN scores on a 38 x 50 map with 3 sizes and 3 ratios."""
    h, w = ANCHOR_MAP
    want = num_anchors(h, w, (128, 256, 512), (0.5, 1.0, 2.0))
    return check_value("anchor count", value, want, [
        (h * w, "each cell carries one anchor per (size, ratio) pair, not one in total."),
        (h * w * 3, "count the sizes *and* the ratios: 3 x 3 = 9 anchors per cell."),
        (h * w * 9 * 4, "that counts the 4 box offsets per anchor; the question asks for anchors."),
        (600 * 800 * 9, "anchors sit on the feature map's cells (38 x 50), not on every pixel."),
    ])



def _decode_reference(anchor: tuple, t: tuple) -> tuple:
    """The box (x1, y1, x2, y2) that offsets ``t = (t_x, t_y, t_w, t_h)`` make of ``anchor`` (R-CNN's coding)."""
    wa, ha = anchor[2] - anchor[0], anchor[3] - anchor[1]
    x, y = anchor[0] + wa / 2 + t[0] * wa, anchor[1] + ha / 2 + t[1] * ha
    w, h = wa * math.exp(t[2]), ha * math.exp(t[3])
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _decode_no_exp(anchor: tuple, t: tuple) -> tuple:
    return _decode_reference(anchor, (t[0], t[1], math.log(t[2]) if t[2] > 0 else -50.0,
                                      math.log(t[3]) if t[3] > 0 else -50.0))


def _decode_centre_size(anchor: tuple, t: tuple) -> tuple:
    x1, y1, x2, y2 = _decode_reference(anchor, t)
    return ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)


def _decode_unscaled_shift(anchor: tuple, t: tuple) -> tuple:
    wa, ha = anchor[2] - anchor[0], anchor[3] - anchor[1]
    return _decode_reference(anchor, (t[0] / wa, t[1] / ha, t[2], t[3]))


def check_decode_box(student) -> CheckResult:
    """Check ``decode_box(anchor, t) -> (x1, y1, x2, y2)``, the inverse of the box parametrisation
    (Girshick et al. 2014, appendix C; Ren et al. 2015, eq. 2)."""
    cases = [Case(((0.0, 0.0, 10.0, 10.0), (0.0, 0.0, 0.0, 0.0)), label="zero offsets"),
             Case(((0.0, 0.0, 10.0, 10.0), (0.5, 0.0, 0.0, 0.0)), label="t_x = 0.5"),
             Case(((0.0, 0.0, 10.0, 20.0), (0.0, 0.0, math.log(2.0), 0.0)), label="t_w = log 2"),
             Case(((4.0, 6.0, 20.0, 14.0), (0.125, 0.125, 0.4054651081, -0.6931471806)), label="a general pair")]
    mistakes = [
        Mistake(_decode_no_exp, "t_w is a log-ratio: the width is w_a * exp(t_w), not w_a * t_w."),
        Mistake(_decode_centre_size, "return the corners (x1, y1, x2, y2), not (centre x, centre y, w, h)."),
        Mistake(_decode_unscaled_shift, "the shift is in units of the anchor's size: x = x_a + t_x * w_a."),
    ]
    return check_function("decode_box", student, _decode_reference, cases, mistakes)
