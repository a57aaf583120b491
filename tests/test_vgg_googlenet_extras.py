"""Tests for notebook 06/07 additions: configuration C, FC-as-conv, memory per image, the
Inception diagram, the new checkers and the vgg-depth / aux-training experiments' helpers."""
import matplotlib
import pytest
import torch
from torch import nn

matplotlib.use("Agg")

from course_utils.checks.googlenet import (check_global_average_pool, check_inception_params,
                                           check_naive_ratio_prediction)
from course_utils.checks.vgg import check_activation_values, check_config_c_prediction, check_score_map_prediction
from course_utils.complexity import count_params
from course_utils.diagrams import inception_diagram
from course_utils.experiments.vgg_depth import depth_config
from course_utils.memory import activation_counts, memory_per_image
from course_utils.models.googlenet import INCEPTION_TABLE, Inception
from course_utils.models.vgg import CONFIGS, fc_as_conv, make_features, small_vgg, vgg


def test_config_c_is_b_plus_three_1x1_convs():
    with torch.device("meta"):
        b, c = vgg("B"), vgg("C")
    assert count_params(c) - count_params(b) == (256 * 256 + 256) + 2 * (512 * 512 + 512)
    assert round(count_params(c) / 1e6) == 134
    ones = [m for m in c.modules() if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1)]
    assert len(ones) == 3 and sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in c.modules()) == 16
    with pytest.raises(ValueError, match="width"):
        make_features([(8, 5)])


def test_fc_as_conv_equals_the_fc_head_and_slides():
    torch.manual_seed(0)
    model = small_vgg().eval()
    conv = fc_as_conv(model, side=3).eval()
    x = torch.randn(3, 1, 28, 28)
    assert torch.allclose(conv(x).flatten(1), model(x), atol=1e-5)
    assert conv(torch.randn(1, 1, 56, 56)).shape == (1, 10, 5, 5)
    with pytest.raises(ValueError):
        fc_as_conv(model, side=5)


def test_memory_per_image_vgg16():
    with torch.device("meta"):
        model = vgg("D")
    mem = memory_per_image(model)
    assert mem["values"] == 15_237_608       # 15.2 M values (cs231n's per-layer list)
    assert mem["parameters"] == 4 * 138_357_544
    small = small_vgg()
    before = [p.clone() for p in small.parameters()]
    rows = activation_counts(small, (1, 28, 28))
    assert rows[0] == ("input", 784)
    assert all(torch.equal(a, b) for a, b in zip(before, small.parameters()))  # the model is untouched


def test_inception_diagram_and_bad_widths():
    fig = inception_diagram(192, *INCEPTION_TABLE["3a"])
    assert "256" in " ".join(t.get_text() for t in fig.axes[0].texts)
    with pytest.raises(ValueError):
        inception_diagram(0, *INCEPTION_TABLE["3a"])


def test_checkers_pass_right_and_hint_wrong():
    from course_utils.checks.googlenet import _inception_params
    from course_utils.checks.vgg import _activation_values
    assert check_activation_values(_activation_values).passed
    assert _activation_values(CONFIGS["D"]) == 15_228_416
    assert check_activation_values(lambda c, s, i: 0).status == "fail"
    assert check_inception_params(_inception_params).passed
    assert _inception_params(192, *INCEPTION_TABLE["3a"]) == count_params(Inception(192, *INCEPTION_TABLE["3a"]))
    wrong = check_inception_params(lambda *a: _inception_params(*a) - sum(a[1:]))
    assert wrong.status == "fail"

    def stub(x):
        raise NotImplementedError
    assert check_global_average_pool(stub).status == "todo"
    assert "divide" in check_global_average_pool(lambda x: x.sum(dim=(2, 3))).message
    assert check_score_map_prediction(None, 36).status == "todo"
    assert check_score_map_prediction(36, 36).passed
    assert "7×7" in check_score_map_prediction(144, 36).message
    assert check_config_c_prediction(600, 591_104).passed
    assert check_naive_ratio_prediction(2.4, 2.37).passed and not check_naive_ratio_prediction(1.0, 2.37).passed


def test_depth_config():
    assert depth_config(2) == [16, 16, "M", 32, 32, "M", 64, 64, "M"]
    with pytest.raises(ValueError):
        depth_config(0)


def test_train_with_aux_returns_main_losses_and_zero_weight_ignores_the_head():
    from course_utils.experiments.aux_training import train_with_aux
    from course_utils.models.googlenet import small_googlenet
    torch.manual_seed(0)
    batches = [(torch.randn(8, 1, 28, 28), torch.randint(0, 10, (8,))) for _ in range(2)]
    model = small_googlenet(aux=True, batch_norm=False)
    aux_before = [p.clone() for p in model.aux.parameters()]
    losses = train_with_aux(model, batches, aux_weight=0.0, epochs=1, lr=1e-3, dev=torch.device("cpu"))
    assert len(losses) == 2 and all(v > 0 for v in losses) and not model.training
    # with weight 0 the side head gets no gradient, so Adam leaves it exactly as it was
    assert all(torch.equal(a, b) for a, b in zip(aux_before, model.aux.parameters()))
