"""Object detection from scratch: boxes, IoU, NMS, RoI pooling, anchors, AP and the R-CNN family."""

from .anchors import anchor_shapes, make_anchors, num_anchors
from .boxes import box_area, box_iou, clip_boxes, decode_boxes, encode_boxes
from .dataset import DEFAULT_CLASSES, DetectionSet, make_detection_set
from .fast_rcnn import FastRCNN
from .faster_rcnn import FasterRCNN
from .metrics import average_precision, match_detections, mean_average_precision, precision_recall
from .nms import batched_nms, nms
from .proposals import proposal_recall, proposals_for, selective_search
from .rcnn import RCNN, rcnn_training_crops
from .roi import roi_pool, roi_pool_naive, warp_crops
from .rpn import RegionProposalNetwork

__all__ = [
    "anchor_shapes", "make_anchors", "num_anchors",
    "box_area", "box_iou", "clip_boxes", "decode_boxes", "encode_boxes",
    "DEFAULT_CLASSES", "DetectionSet", "make_detection_set",
    "FastRCNN", "FasterRCNN", "RCNN", "rcnn_training_crops", "RegionProposalNetwork",
    "average_precision", "match_detections", "mean_average_precision", "precision_recall",
    "batched_nms", "nms", "proposal_recall", "proposals_for", "selective_search",
    "roi_pool", "roi_pool_naive", "warp_crops",
]
