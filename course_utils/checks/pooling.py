"""Checkers for notebook 04 (pooling and a whole CNN): the pooling gradient and the predictions."""

from __future__ import annotations

from typing import Any

import torch

from .core import Case, CheckResult, Mistake, _finish, check_function, check_value


def _max_pool_backward(x: torch.Tensor, grad_out: torch.Tensor, size: int) -> torch.Tensor:
    """Reference: the gradient of ``sum(grad_out * max_pool(x, size))`` with respect to ``x [H, W]``."""
    leaf = x.detach().clone().double().requires_grad_(True)
    pooled = torch.nn.functional.max_pool2d(leaf[None, None], size)[0, 0]
    grad, = torch.autograd.grad(pooled, leaf, grad_out.double())
    return grad.to(x.dtype)


def _spread_evenly(x: torch.Tensor, grad_out: torch.Tensor, size: int) -> torch.Tensor:
    """Average pooling's gradient: every input of a window gets grad / size²."""
    h, w = grad_out.shape[0] * size, grad_out.shape[1] * size
    out = torch.zeros_like(x)
    out[:h, :w] = grad_out.repeat_interleave(size, 0).repeat_interleave(size, 1) / size ** 2
    return out


def _copy_to_all(x: torch.Tensor, grad_out: torch.Tensor, size: int) -> torch.Tensor:
    """Every input of a window gets the whole upstream gradient."""
    return _spread_evenly(x, grad_out, size) * size ** 2


def _to_minimum(x: torch.Tensor, grad_out: torch.Tensor, size: int) -> torch.Tensor:
    return -_max_pool_backward(-x, grad_out, size)


def check_max_pool_backward(fn) -> CheckResult:
    """Exercise 4.3: ``fn(x [H, W], grad_out [H//size, W//size], size) -> grad_x [H, W]``."""
    g = torch.Generator().manual_seed(4)
    cases = [
        Case((torch.tensor([[1.0, 3.0], [4.0, 2.0]]), torch.tensor([[1.0]]), 2), label="(2x2 window, grad_out 1)"),
        Case((torch.tensor([[1.0, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 6, 1, 1]]),
              torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 2), label="(4x4 example, grad_out [[1, 2], [3, 4]])"),
        Case((torch.randn(6, 6, generator=g) - 3, torch.randn(2, 2, generator=g), 3),
             label="(6x6 of negative values, size 3)"),
        Case((torch.randn(5, 7, generator=g), torch.randn(2, 3, generator=g), 2),
             label="(5x7, size 2: the last row and column are left over and get no gradient)"),
    ]
    mistakes = [
        Mistake(_spread_evenly, "that is average pooling's gradient: max pooling sends the whole "
                "gradient to the one input that won the window, zero to the others"),
        Mistake(_copy_to_all, "only the winning input (the maximum) of each window gets the gradient; "
                "the others did not affect the output, so their gradient is 0"),
        Mistake(_to_minimum, "the gradient goes to the largest value of the window, not the smallest"),
    ]
    return check_function("max_pool_backward", fn, _max_pool_backward, cases, mistakes)


def check_receptive_field_prediction(predicted: Any, measured: int) -> CheckResult:
    """Exercise 4.2: the predicted receptive field (pixels on a side) of a unit after LeNet's pool2."""
    hints = [(measured - 2, "the 2x2 pools widen the field too: by (2 - 1) x the stride product before them"),
             (5 + 5 + 2 + 2, "kernels do not simply add: a layer after a stride-2 pool moves 2 input pixels per "
                             "step, so its (k - 1) counts twice"),
             (28, "the field of one unit is a window, not the whole image: follow the recurrence layer by layer")]
    return check_value("receptive_field", predicted, measured, hints)
