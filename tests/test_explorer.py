"""Tests for course_utils.widgets.explorer, driven without a browser through Explorer.set()."""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from course_utils.widgets import Explorer, static_mode


def draw_square(size: int, color: str = "C0") -> Figure:
    """A tiny draw function: a square of side ``size``; sizes above 5 are impossible."""
    if size > 5:
        raise ValueError(f"size={size} does not fit the 5x5 canvas; use size <= 5")
    fig, ax = plt.subplots()
    ax.fill([0, size, size, 0], [0, 0, size, size], color=color)
    ax.set_title(f"side {size}")
    return fig


def describe_square(size: int, color: str = "C0") -> str:
    return f"area = {size} x {size} = {size * size}"


@pytest.fixture
def explorer() -> Explorer:
    controls = {"size": w.IntSlider(value=2, min=1, max=9), "color": w.Dropdown(options=["C0", "C1"], value="C0")}
    return Explorer(draw_square, controls, describe_square, title="Squares")


def test_first_draw_happens_at_construction(explorer):
    assert isinstance(explorer.figure, Figure)
    assert explorer.figure.axes[0].get_title() == "side 2"
    assert explorer.text == "area = 2 x 2 = 4" and explorer.error is None
    assert explorer.values == {"size": 2, "color": "C0"}
    assert "area = 2 x 2 = 4" in explorer.status.value


def test_set_redraws_and_updates_the_text(explorer):
    first = explorer.figure
    assert explorer.set(size=3) is explorer
    assert explorer.figure is not first and explorer.figure.axes[0].get_title() == "side 3"
    assert explorer.text == "area = 3 x 3 = 9"
    explorer.set(size=4, color="C1")
    assert explorer.values == {"size": 4, "color": "C1"} and explorer.text == "area = 4 x 4 = 16"


def test_a_control_moved_by_hand_redraws(explorer):
    explorer.controls["size"].value = 5
    assert explorer.text == "area = 5 x 5 = 25"


def test_impossible_value_keeps_the_last_figure(explorer):
    explorer.set(size=4)
    good = explorer.figure
    explorer.set(size=7)
    assert explorer.figure is good
    assert explorer.error == "size=7 does not fit the 5x5 canvas; use size <= 5"
    assert explorer.text.startswith("⚠ size=7") and "#cf222e" in explorer.status.value
    explorer.set(size=1)  # back to a possible value: the error goes away
    assert explorer.error is None and explorer.figure.axes[0].get_title() == "side 1"


def test_html_in_messages_is_escaped():
    def draw(n: int) -> Figure:
        raise ValueError("<b>n</b> & more")

    ex = Explorer(draw, {"n": w.IntSlider(value=1)})
    assert "&lt;b&gt;n&lt;/b&gt; &amp; more" in ex.status.value and ex.figure is None


def test_without_describe_the_text_is_empty():
    ex = Explorer(draw_square, {"size": w.IntSlider(value=1, min=1, max=5)})
    assert ex.text == "" and isinstance(ex.figure, Figure)


def test_unknown_control_is_a_key_error(explorer):
    with pytest.raises(KeyError, match="no control named 'width'; controls are size, color"):
        explorer.set(width=3)


def test_widget_assembles_title_controls_status_output(explorer):
    box = explorer.widget()
    assert isinstance(box, w.VBox) and len(box.children) == 4
    assert "Squares" in box.children[0].value
    assert list(box.children[1].children) == list(explorer.controls.values())
    untitled = Explorer(draw_square, {"size": w.IntSlider(value=1, min=1, max=5)}).widget()
    assert len(untitled.children) == 3


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("YES", True), ("0", False), ("", False)])
def test_static_mode_switch(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", value)
    assert static_mode() is expected


def test_static_mode_unset(monkeypatch):
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    assert static_mode() is False


def test_show_static_prints_text_and_displays_figure(explorer, monkeypatch, capsys):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append(obj))
    monkeypatch.setenv("COURSE_STATIC_WIDGETS", "1")
    explorer.set(size=3)
    explorer.show()
    assert capsys.readouterr().out.strip() == "area = 3 x 3 = 9"
    assert shown == [explorer.figure]


def test_show_live_displays_the_widget(explorer, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append(obj))
    monkeypatch.delenv("COURSE_STATIC_WIDGETS", raising=False)
    explorer.show()
    assert len(shown) == 1 and isinstance(shown[0], w.VBox)


def test_redraw_closes_old_figures(explorer):
    explorer.set(size=3)
    explorer.set(size=4)
    assert plt.get_fignums() == []  # drawn figures are handed over, not left open in pyplot
