"""Tests for the three detectors, their shared pieces and the training helpers (tiny and fast)."""

import math

import pytest
import torch

from course_utils.data import BatchLoader
from course_utils.detection.backbone import Backbone, BoxHead
from course_utils.detection.dataset import make_detection_set
from course_utils.detection.fast_rcnn import FastRCNN
from course_utils.detection.faster_rcnn import FasterRCNN
from course_utils.detection.postprocess import select_detections
from course_utils.detection.proposals import proposals_for
from course_utils.detection.rcnn import RCNN, rcnn_training_crops
from course_utils.detection.sampling import label_boxes, sample_boxes
from course_utils.detection.training import (evaluate_map, time_per_image, time_selective_search,
                                             train_detector)
from course_utils.train import fit


@pytest.fixture(scope="module")
def tiny():
    torch.manual_seed(0)
    data = make_detection_set("train", 6, seed=5)
    return data, proposals_for(data.images)


def check_detections(found, n):
    assert len(found) == n
    for d in found:
        assert set(d) == {"boxes", "scores", "labels"}
        assert d["boxes"].shape[1] == 4 and len(d["boxes"]) == len(d["scores"]) == len(d["labels"])
        assert bool((d["labels"] >= 1).all()) and bool((d["scores"][:-1] >= d["scores"][1:]).all())


def test_backbone_and_head_shapes():
    assert Backbone()(torch.zeros(2, 1, 64, 64)).shape == (2, 64, 16, 16)
    logits, deltas = BoxHead(64 * 16, 5)(torch.zeros(3, 64, 4, 4))
    assert logits.shape == (3, 6) and deltas.shape == (3, 6, 4)
    with pytest.raises(ValueError, match="num_classes"):
        BoxHead(16, 0)


def test_label_and_sample_boxes():
    gt, labels = torch.tensor([[0.0, 0.0, 10.0, 10.0]]), torch.tensor([3])
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 16.0], [0.0, 0.0, 10.0, 25.0], [50.0, 50, 60, 60]])
    lab, matched = label_boxes(boxes, gt, labels, fg_iou=0.5, bg_iou=0.3)
    assert lab.tolist() == [3, 3, -1, 0] and matched.tolist() == [0, 0, 0, 0]
    pick = sample_boxes(torch.tensor([1, 1, 1, 0, 0, 0, 0, -1]), 4, 0.25, torch.Generator().manual_seed(0))
    assert len(pick) == 4 and int((torch.tensor([1, 1, 1, 0, 0, 0, 0, -1])[pick] > 0).sum()) == 1
    with pytest.raises(ValueError, match="bg_iou"):
        label_boxes(boxes, gt, labels, fg_iou=0.3, bg_iou=0.5)


def test_select_detections_drops_background_and_duplicates():
    boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [0.0, 0.0, 10.0, 11.0], [30.0, 30.0, 40.0, 40.0]])
    scores = torch.tensor([[0.1, 0.9, 0.0], [0.2, 0.8, 0.0], [0.97, 0.01, 0.02]])
    out = select_detections(boxes, scores, (64, 64))
    assert out["labels"].tolist() == [1] and out["boxes"][0].tolist() == [0.0, 0.0, 10.0, 10.0]


def test_rcnn_trains_with_the_engine_and_detects(tiny):
    data, props = tiny
    crops, labels = rcnn_training_crops(data, props, per_image=8)
    assert crops.shape[1:] == (1, RCNN.crop_size, RCNN.crop_size) and len(crops) == len(labels)
    model = RCNN(data.num_classes)
    history = fit(model, BatchLoader(crops, labels, 16), epochs=1, lr=0.01, device=torch.device("cpu"), progress=False)
    assert len(history) == 1
    check_detections(model.detect(data.images[:2], props[:2]), 2)


@pytest.mark.parametrize("cls", [FastRCNN, FasterRCNN])
def test_fast_and_faster_losses_fall_and_detect(tiny, cls):
    data, props = tiny
    torch.manual_seed(0)
    model = cls(data.num_classes)
    rows = train_detector(model, data, proposals=props, epochs=4, batch_size=6, lr=3e-3, device=torch.device("cpu"))
    first, last = sum(rows[0].values()), sum(rows[-1].values())
    assert last < first                                            # it learns something on 6 canvases
    check_detections(model.detect(data.images[:3], props[:3]), 3)
    result = evaluate_map(model, data, props, device=torch.device("cpu"))
    # six canvases and four epochs show the code path, not accuracy (the mAP of so tiny a run
    # varies with the seed as much as between trained and untrained); the metric itself is
    # tested on detectors of known quality below
    present = [ap for ap in result["ap"] if not math.isnan(ap)]
    assert len(result["ap"]) == data.num_classes and present
    assert result["map"] == pytest.approx(sum(present) / len(present))


class Oracle(torch.nn.Module):
    """A "detector" that returns each canvas's ground truth, moved by ``shift`` pixels and with
    labels offset by ``relabel``: a detector whose mAP is known in advance."""

    def __init__(self, data, shift: float = 0.0, relabel: int = 0) -> None:
        super().__init__()
        self.truths, self.shift, self.relabel, self.seen = data.targets(), shift, relabel, 0

    def detect(self, images, proposals=None):
        found = []
        for t in self.truths[self.seen:self.seen + len(images)]:
            n = len(t["labels"])
            labels = (t["labels"] - 1 + self.relabel) % 5 + 1
            found.append({"boxes": t["boxes"] + self.shift, "scores": torch.ones(n), "labels": labels})
        self.seen += len(images)
        return found


@pytest.mark.parametrize("shift,relabel,expected", [(0.0, 0, 1.0), (1.0, 0, 1.0), (40.0, 0, 0.0), (0.0, 1, 0.0)],
                         ids=["exact", "one-pixel-off", "far-off", "wrong-class"])
def test_evaluate_map_of_detectors_of_known_quality(tiny, shift, relabel, expected):
    data, _ = tiny
    assert data.num_classes == 5
    result = evaluate_map(Oracle(data, shift, relabel), data, device=torch.device("cpu"))
    assert result["map"] == pytest.approx(expected)


def test_faster_rcnn_proposes_its_own_boxes_and_fast_needs_them(tiny):
    data, _ = tiny
    model = FasterRCNN(data.num_classes)
    props = model.propose(data.images[:2])
    assert len(props) == 2 and all(p.shape[1] == 4 and len(p) <= model.rpn.post_nms_test for p in props)
    with pytest.raises(ValueError, match="proposals"):
        FastRCNN(data.num_classes).detect(data.images[:2])


def test_timing_helpers(tiny):
    data, props = tiny
    ss = time_selective_search(data.images[:2])
    assert ss["ms"] > 0 and len(ss["boxes"]) == 2
    assert time_per_image(FastRCNN(data.num_classes), data.images[:2], props[:2], repeats=1) > 0
    assert time_per_image(FasterRCNN(data.num_classes), data.images[:2], repeats=1) > 0


def test_compare_refuses_proposals_of_another_test_set():
    from course_utils.experiments.rcnn_family import SETTINGS, compare

    test = make_detection_set("test", 3, seed=1)
    wrong = {"boxes": [torch.zeros(0, 4)] * 2, "ms": 1.0, "proposals": 0.0}
    with pytest.raises(ValueError, match="2 canvases, the test set 3"):
        compare({}, test, SETTINGS["ci"], torch.device("cpu"), search=wrong)


def test_encode_box_checker_and_equal_budget():
    import math as _math

    from course_utils.checks.detection import check_decode_box
    from course_utils.detection import FasterRCNN
    from course_utils.experiments.rcnn_family import equal_budget

    def decode_box(a, t):
        wa, ha = a[2] - a[0], a[3] - a[1]
        x, y, w, h = a[0] + wa / 2 + t[0] * wa, a[1] + ha / 2 + t[1] * ha, wa * _math.exp(t[2]), ha * _math.exp(t[3])
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    def no_exp(a, t):
        wa, ha = a[2] - a[0], a[3] - a[1]
        x, y, w, h = a[0] + wa / 2 + t[0] * wa, a[1] + ha / 2 + t[1] * ha, wa * t[2], ha * t[3]
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)

    assert check_decode_box(decode_box).passed
    assert check_decode_box(lambda a, t: (0, 0, 0, 0)).status == "fail"
    assert "exp" in check_decode_box(no_exp).message
    assert check_decode_box(lambda a, t: 1 / 0).status == "fail"
    torch.manual_seed(0)
    model = FasterRCNN(5)
    test = make_detection_set("test", 3, seed=1)
    row = equal_budget(model, test, 4, torch.device("cpu"))
    assert row["proposals"] == 4 and row["mean_proposals"] <= 4 and 0 <= row["map"] <= 1
    assert model.rpn.post_nms_test == 32          # restored
