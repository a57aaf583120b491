"""The tested pieces behind 00_course_map.ipynb: the class gallery explorer and the warm-up checker."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks.intro import check_numbers_in_batch
from course_utils.data import CLASS_NAMES
from course_utils.widgets.gallery import class_gallery_explorer, draw_class_gallery


def test_gallery_draws_examples_and_mean():
    images = np.zeros((20, 28, 28), dtype=np.uint8)
    labels = np.arange(20) % 10
    fig = draw_class_gallery(images, labels, "Bag", count=2)
    assert len(fig.axes) == 3 and "2 images" in fig._suptitle.get_text()


@pytest.mark.parametrize("kwargs", [{"class_name": "Hat"}, {"count": 0}, {"count": 17}])
def test_gallery_rejects_impossible_settings(kwargs):
    args = {"class_name": "Bag", "count": 4} | kwargs
    with pytest.raises(ValueError):
        draw_class_gallery(np.zeros((10, 28, 28), np.uint8), np.arange(10), **args)


def test_gallery_explorer_follows_its_controls():
    explorer = class_gallery_explorer()
    explorer.set(class_name="Bag", count=3)
    assert explorer.text == f"Bag is label {CLASS_NAMES.index('Bag')}"
    assert len(explorer.figure.axes) == 4 and explorer.error is None


def test_numbers_in_batch_checker():
    assert check_numbers_in_batch(lambda n, c, h, w: n * c * h * w).status == "pass"
    wrong = check_numbers_in_batch(lambda n, c, h, w: n * h * w)
    assert wrong.status == "fail" and "channels" in wrong.message

    def stub(*args):
        raise NotImplementedError

    assert check_numbers_in_batch(stub).status == "todo"
    assert check_numbers_in_batch(lambda *a: [][1]).status == "fail"
