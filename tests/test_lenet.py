"""LeNet-5: shapes, parameter count, feature maps, and a short training run that learns."""

import pytest
import torch

from course_utils.experiments.lenet_fashion import SETTINGS
from course_utils.models import lenet5
from course_utils.train import fit


def test_shapes_and_parameter_count():
    model = lenet5()
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    # paper-style count: conv 156 + 2,416, dense 48,120 + 10,164 + 850
    assert sum(p.numel() for p in model.parameters()) == 156 + 2416 + 48120 + 10164 + 850 == 61706
    assert model.features(torch.zeros(1, 1, 28, 28)).shape == (1, 16, 5, 5)
    assert model.features[:3](torch.zeros(1, 1, 28, 28)).shape == (1, 6, 14, 14)


def test_options_and_bad_input():
    assert lenet5(num_classes=3, in_channels=3, pool="avg")(torch.zeros(2, 3, 28, 28)).shape == (2, 3)
    assert isinstance(lenet5(pool="avg").features[2], torch.nn.AvgPool2d)
    with pytest.raises(ValueError, match="pool must be one of"):
        lenet5(pool="min")
    with pytest.raises(ValueError, match=r"expects images \[N, C, 28, 28\], got shape \(1, 1, 32, 32\)"):
        lenet5()(torch.zeros(1, 1, 32, 32))


def test_learns_a_tiny_problem():
    torch.manual_seed(0)
    y = torch.arange(64) % 2
    x = 0.3 * torch.randn(64, 1, 28, 28)
    x[y == 1, :, 4:10, 4:10] += 2.0                       # class 1 has a bright square
    model = lenet5(num_classes=2)
    history = fit(model, [(x, y)] * 40, [(x, y)], epochs=1, lr=0.02, device=torch.device("cpu"), progress=False)
    assert history.test_error[-1] < 0.1


def test_settings_per_profile():
    assert SETTINGS["ci"].train_images == 4000
    assert SETTINGS["default"].train_images is None
    assert SETTINGS["full"].epochs > SETTINGS["default"].epochs > SETTINGS["ci"].epochs
