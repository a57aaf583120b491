"""Tests for the architecture and receptive-field explorers (no browser: draw/describe/set)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_utils.widgets import architecture as arch  # noqa: E402
from course_utils.widgets import receptive_field as rf  # noqa: E402


def test_zoo_table_weighted_layers():
    rows = arch.zoo_table("VGG-16")
    assert len(rows) == 16 and rows[0].output_shape == (64, 224, 224)
    assert sum(r.params for r in rows) == 138_357_544


def test_zoo_unknown_name():
    with pytest.raises(ValueError, match="VGG-16"):
        arch.zoo_table("VGG-99")


def test_describe_and_draw_every_model():
    for name in arch.ZOO:
        text = arch.describe(name)
        assert name in text and "M parameters" in text
    fig = arch.draw("small GoogLeNet", log_scale=False)
    assert len(fig.axes) == 3
    plt.close(fig)
    assert "total" in arch.table_text("small VGG")


def test_architecture_explorer_set():
    explorer = arch.architecture_explorer("small AlexNet")
    explorer.set(name="AlexNet (two GPUs)")
    assert explorer.error is None and "60.97 M parameters" in explorer.text


def test_receptive_field_formula_examples():
    assert rf.receptive_field(3, 3) == 7
    assert rf.receptive_field(1, 7) == 7
    assert rf.receptive_field(2, 3, stride=2) == 7
    assert rf.receptive_field(2, 3, dilation=2) == 9
    with pytest.raises(ValueError, match="kernel=0"):
        rf.receptive_field(2, 0)


@settings(max_examples=20, deadline=None)
@given(depth=st.integers(1, 4), kernel=st.sampled_from([1, 3, 5]), stride=st.integers(1, 2),
       dilation=st.integers(1, 2))
def test_gradient_measures_the_formula(depth, kernel, stride, dilation):
    field = rf.receptive_field(depth, kernel, stride, dilation)
    grad = rf.gradient_map(rf.conv_stack(depth, kernel, stride, dilation), 2 * field + 1)
    assert rf.measured_field(grad) == field


def test_receptive_explorer_impossible_setting_keeps_picture():
    explorer = rf.receptive_field_explorer()
    assert "= 7" in explorer.text and explorer.figure is not None
    explorer.set(depth=6, kernel=7, stride=3)
    assert explorer.error is not None and "lower the depth" in explorer.error
    explorer.set(depth=1, kernel=3, stride=1)
    assert explorer.error is None and "= 3" in explorer.text


def test_gradient_map_errors():
    with pytest.raises(ValueError, match="no output pixel"):
        rf.gradient_map(rf.conv_stack(1, 5), 3)
    import torch
    with pytest.raises(ValueError, match="all zeros"):
        rf.measured_field(torch.zeros(4, 4))
