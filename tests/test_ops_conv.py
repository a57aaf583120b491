"""course_utils.ops.conv against torch.nn.functional.conv2d, on many random shapes."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.ops import conv2d_fast, conv2d_naive, conv_cost, conv_output_size, im2col


@st.composite
def conv_problem(draw):
    n, c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    h = draw(st.integers(max(1, kh - 2 * ph), 9))
    w = draw(st.integers(max(1, kw - 2 * pw), 9))
    stride = draw(st.sampled_from([(sh, sw), sh]))
    padding = draw(st.sampled_from([(ph, pw), ph]))
    if isinstance(padding, int):
        h, w = max(h, kh - 2 * padding), max(w, kw - 2 * padding)
    g = torch.Generator().manual_seed(draw(st.integers(0, 10_000)))
    x = torch.randn(n, c_in, max(h, 1), max(w, 1), generator=g)
    weight = torch.randn(c_out, c_in, kh, kw, generator=g)
    bias = draw(st.sampled_from([None, torch.randn(c_out, generator=g)]))
    return x, weight, bias, stride, padding


@settings(max_examples=60, deadline=None)
@given(conv_problem())
def test_both_convolutions_match_torch(problem):
    x, weight, bias, stride, padding = problem
    want = F.conv2d(x, weight, bias, stride=stride, padding=padding)
    for conv in (conv2d_naive, conv2d_fast):
        got = conv(x, weight, bias, stride=stride, padding=padding)
        assert got.shape == want.shape
        torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 7), st.integers(1, 4), st.integers(0, 3))
def test_output_size_matches_torch(size, k, s, p):
    if k > size + 2 * p:
        with pytest.raises(ValueError, match="larger than the padded input"):
            conv_output_size(size, k, s, p)
        return
    out = F.conv2d(torch.zeros(1, 1, size, size), torch.zeros(1, 1, k, k), stride=s, padding=p)
    assert conv_output_size(size, k, s, p) == out.shape[-1]


def test_im2col_matches_unfold():
    x = torch.randn(2, 3, 7, 6)
    torch.testing.assert_close(im2col(x, (3, 2), (2, 1), (1, 0)), F.unfold(x, (3, 2), stride=(2, 1), padding=(1, 0)))


def test_gradients_flow_like_torch():
    x = torch.randn(2, 2, 6, 6, requires_grad=True)
    w = torch.randn(3, 2, 3, 3, requires_grad=True)
    conv2d_fast(x, w, padding=1).square().sum().backward()
    gx, gw = x.grad.clone(), w.grad.clone()
    x.grad = w.grad = None
    F.conv2d(x, w, padding=1).square().sum().backward()
    torch.testing.assert_close(gx, x.grad, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(gw, w.grad, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("conv", [conv2d_naive, conv2d_fast])
def test_bad_input_says_what_is_wrong(conv):
    x = torch.zeros(1, 3, 5, 5)
    with pytest.raises(ValueError, match="3 channels but weight expects C_in = 2"):
        conv(x, torch.zeros(4, 2, 3, 3))
    with pytest.raises(ValueError, match="kernel size 7 is larger than the padded input 5"):
        conv(x, torch.zeros(4, 3, 7, 7))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        conv(x, torch.zeros(4, 3, 3, 3), stride=0)
    with pytest.raises(ValueError, match="padding must be 0 or more"):
        conv(x, torch.zeros(4, 3, 3, 3), padding=-1)
    with pytest.raises(ValueError, match=r"bias must have one value per output channel, shape \(4,\)"):
        conv(x, torch.zeros(4, 3, 3, 3), torch.zeros(3))
    with pytest.raises(ValueError, match=r"x must be \[N, C, H, W\]"):
        conv(torch.zeros(3, 5, 5), torch.zeros(4, 3, 3, 3))
    with pytest.raises(ValueError, match="stride must be an int or a pair"):
        conv(x, torch.zeros(4, 3, 3, 3), stride=(1, 2, 3))


def test_conv_cost_counts_lenet_and_matches_torch():
    c = conv_cost(1, 6, 5, 28, padding=2)
    assert (c.params, c.macs, c.output_size, c.output_values) == (156, 117_600, (28, 28), 4704)
    layer = torch.nn.Conv2d(6, 16, 5)
    c2 = conv_cost(6, 16, 5, 14)
    assert c2.params == sum(p.numel() for p in layer.parameters()) == 2416
    assert c2.macs == 5 * 5 * 6 * 16 * 10 * 10
    assert conv_cost(3, 8, (3, 1), (9, 7), stride=(2, 1), bias=False).params == 3 * 1 * 3 * 8
    with pytest.raises(ValueError, match="channels must be at least 1"):
        conv_cost(0, 6, 5, 28)
