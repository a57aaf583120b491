"""Tests for course_utils.widgets.block_builder (notebook 10), without a browser."""
import pytest
from matplotlib.figure import Figure

from course_utils.widgets.block_builder import (block_builder, build_block, describe_block, draw_block,
                                                main_path, shortcut_label)


@pytest.mark.parametrize("kind, layers", [("basic", 7), ("bottleneck", 10), ("pre-activation", 7)])
def test_draw_each_kind(kind, layers):
    assert len(main_path(kind, 64, 64, 1)) == layers
    assert isinstance(draw_block(kind, 64, 64, 2, "B", 28), Figure)


def test_describe_gives_the_hand_counts():
    text = describe_block("bottleneck", 256, 64, 1, "B", 56)
    assert "70,400 parameters" in text and "218.4 M multiply-adds" in text and "identity" in text
    assert "projection" in describe_block("basic", 64, 128, 2, "B", 56)
    assert "zero channels" in describe_block("basic", 64, 128, 2, "A", 56)
    assert "projection" in describe_block("basic", 64, 64, 1, "C", 56)


def test_stride_appears_in_the_first_convolution_label():
    assert main_path("bottleneck", 256, 128, 2)[0] == "1x1 conv 256->128, /2"
    assert shortcut_label(build_block("basic", 8, 8, 1, "B")) == "identity"


@pytest.mark.parametrize("args", [("wide", 8, 8, 1, "B"), ("basic", 0, 8, 1, "B"), ("basic", 8, 8, 1, "Z"),
                                  ("bottleneck", 512, 64, 1, "A")])
def test_impossible_settings_raise(args):
    with pytest.raises(ValueError):
        build_block(*args)


def test_explorer_shows_errors_and_keeps_last_picture():
    ex = block_builder()
    assert ex.error is None and "73,984 parameters" in ex.text
    ex.set(kind="bottleneck", in_channels=512, width=64)
    good = ex.figure
    ex.set(shortcut="A")
    assert ex.error is not None and "add channels" in ex.error and ex.figure is good
    ex.set(shortcut="B")
    assert ex.error is None and "bottleneck block 512->256" in ex.text
    ex.set(size=4, stride=2)
    assert "2x2" not in ex.text and ex.error is None
