"""The explorers of notebooks 01-04, driven without a browser (set controls, read what is drawn)."""

import numpy as np
import pytest
import torch

from course_utils.widgets.conv import CUSTOM, KERNELS, apply_kernel, kernel_explorer, parse_kernel, pooling_explorer
from course_utils.widgets.sliding_window import describe_window, draw_window, sliding_window_explorer, visit_counts

IMAGES = {"ramp": np.tile(np.linspace(0, 1, 12, dtype=np.float32), (10, 1)),
          "dot": np.pad(np.ones((1, 1), np.float32), 4)}


def test_kernel_explorer_updates_and_explains_bad_kernels():
    e = kernel_explorer(IMAGES, kernel="identity")
    assert e.error is None and "kernel sum = 1" in e.text and "(10, 12)" in e.text
    feature_map = e.figure.axes[2].images[0].get_array()
    np.testing.assert_allclose(feature_map, IMAGES["ramp"], atol=1e-6)     # identity keeps the image
    e.set(kernel=CUSTOM, weights="1 2 3")
    assert "needs 9 numbers, you typed 3" in e.error
    e.set(weights="0 0 0 0 2 0 0 0 0", image="dot")
    assert e.error is None and "kernel sum = 2" in e.text and "to 2" in e.text
    e.set(weights="a b c d e f g h i")
    assert "9 numbers" in e.error


def test_kernels_do_what_their_names_say():
    ramp = torch.tensor(IMAGES["ramp"])
    vertical = apply_kernel(IMAGES["ramp"], torch.tensor(KERNELS["vertical edge (Sobel)"]))
    horizontal = apply_kernel(IMAGES["ramp"], torch.tensor(KERNELS["horizontal edge (Sobel)"]))
    inner = (slice(1, -1), slice(1, -1))
    assert float(vertical[inner].abs().min()) > 0.3        # left-to-right brightness change seen everywhere
    assert float(horizontal[inner].abs().max()) < 1e-5     # no top-to-bottom change
    blur = apply_kernel(IMAGES["ramp"], torch.tensor(KERNELS["box blur"]))
    torch.testing.assert_close(blur[inner], ramp[inner], atol=1e-5, rtol=0)  # a linear ramp survives a blur
    assert parse_kernel("1,2,3; 4 5 6; 7 8 9").tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]


def test_pooling_explorer():
    image = np.random.default_rng(0).random((16, 16)).astype(np.float32)
    e = pooling_explorer(image)
    assert "keeps 64 of 256 values (25.0 %)" in e.text
    max_mean = float(e.figure.axes[1].images[0].get_array().mean())
    e.set(mode="avg")
    avg_mean = float(e.figure.axes[1].images[0].get_array().mean())
    assert max_mean > avg_mean                               # max keeps the bright values
    assert abs(avg_mean - image.mean()) < 1e-5                # average pooling keeps the mean
    e.set(stride=1)
    assert "overlap" in e.text
    e.set(size=8, stride=8)
    assert "keeps 4 of 256" in e.text


def test_sliding_window_contract():
    e = sliding_window_explorer()
    assert [c.description for c in e.controls.values()] == ["W", "K", "S", "P"]
    assert all(type(c).__name__ == "IntSlider" for c in e.controls.values())
    assert "output size = ⌊(7 + 2·0 − 3) / 2⌋ + 1 = 3" in e.text and "warning" not in e.text
    e.set(W=8)
    assert "= 3" in e.text and "warning" in e.text and "never covered" in e.text
    e.set(W=5, K=3, S=1, P=1)
    assert "= 5" in e.text and "'same'" in e.text
    e.set(S=0)
    assert e.error is not None and "stride" in e.error
    e.set(S=1, W=3, K=7, P=1)
    assert "larger than the padded input" in e.error
    for bad in ({"W": 3, "K": 7, "S": 1, "P": 0}, {"W": 7, "K": 3, "S": 0, "P": 0}, {"W": 7, "K": 3, "S": -1, "P": 0}):
        with pytest.raises(ValueError):
            draw_window(**bad)
        with pytest.raises(ValueError):
            describe_window(**bad)


def test_visit_counts_and_drawing():
    counts = visit_counts(5, 3, 1, 0)
    assert counts[0, 0] == 1 and counts[2, 2] == 9 and counts.sum() == 9 * 9
    padded = visit_counts(5, 3, 1, 1)
    assert padded[1, 1] == 4 and padded[3, 3] == 9            # the corner pixel is now seen 4 times
    uneven = visit_counts(8, 3, 2, 0)
    assert (uneven[-1] == 0).all() and (uneven[:, -1] == 0).all()
    fig = draw_window(8, 3, 2, 0)
    assert fig.axes[1].get_title() == "output 3x3"
