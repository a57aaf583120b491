"""Object detection from scratch: boxes, IoU, NMS, RoI pooling, anchors, AP and the R-CNN family."""
