"""course_utils.ops.pool against torch.nn.functional's pooling."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.ops import avg_pool2d, max_pool2d


@st.composite
def pool_problem(draw):
    k = draw(st.integers(1, 4))
    stride = draw(st.sampled_from([None, *range(1, 4)]))
    padding = draw(st.integers(0, k // 2))
    h, w = draw(st.integers(max(1, k - 2 * padding), 9)), draw(st.integers(max(1, k - 2 * padding), 9))
    g = torch.Generator().manual_seed(draw(st.integers(0, 10_000)))
    return torch.randn(draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w, generator=g), k, stride, padding


@settings(max_examples=60, deadline=None)
@given(pool_problem())
def test_pooling_matches_torch(problem):
    x, k, stride, padding = problem
    torch.testing.assert_close(max_pool2d(x, k, stride, padding), F.max_pool2d(x, k, stride, padding))
    torch.testing.assert_close(avg_pool2d(x, k, stride, padding), F.avg_pool2d(x, k, stride, padding),
                               rtol=1e-5, atol=1e-6)


def test_stride_defaults_to_the_window():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert max_pool2d(x, 2).tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]
    assert avg_pool2d(x, 2).tolist() == [[[[2.5, 4.5], [10.5, 12.5]]]]


def test_rectangular_windows():
    x = torch.randn(2, 3, 7, 8)
    torch.testing.assert_close(max_pool2d(x, (2, 3), (1, 2), (1, 0)), F.max_pool2d(x, (2, 3), (1, 2), (1, 0)))


def test_bad_input_says_what_is_wrong():
    x = torch.zeros(1, 1, 4, 4)
    with pytest.raises(ValueError, match="padding 2 is more than half the window 3"):
        max_pool2d(x, 3, padding=2)
    with pytest.raises(ValueError, match="kernel size 5 is larger than the padded input 4"):
        avg_pool2d(x, 5)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        max_pool2d(x, 2, stride=0)
    with pytest.raises(ValueError, match=r"x must be \[N, C, H, W\]"):
        max_pool2d(torch.zeros(4, 4), 2)
