"""Checkers for notebook 03 (how a CNN learns): softmax, cross-entropy, gradients."""

from __future__ import annotations

import torch

from .core import Case, CheckResult, Mistake, check_function


def softmax_reference(z: torch.Tensor) -> torch.Tensor:
    """``softmax(z)`` along the last axis, shifted by the maximum so that ``exp`` cannot overflow.

    z ``[N, K]`` (logits) -> ``[N, K]`` (probabilities, each row sums to 1).
    """
    e = torch.exp(z - z.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


def check_softmax(student) -> CheckResult:
    """Exercise 3.1: ``softmax(z)`` for logits ``z [N, K]``, stable for large logits."""
    g = torch.Generator().manual_seed(3)
    cases = [Case((torch.tensor([[0.0, 0.0]]),), label="z = [[0, 0]]"),
             Case((torch.tensor([[1.0, 2.0, 3.0]]),), label="z = [[1, 2, 3]]"),
             Case((torch.randn(4, 10, generator=g),), label="z [4, 10], random"),
             Case((torch.tensor([[1000.0, 1001.0, 1002.0]]),), label="z = [[1000, 1001, 1002]] (large logits)")]
    mistakes = [
        Mistake(lambda z: torch.exp(z) / torch.exp(z).sum(), "normalise each row separately: sum along the last "
                "axis with keepdim=True, not over the whole tensor."),
        Mistake(lambda z: torch.exp(z) / torch.exp(z).sum(dim=-1, keepdim=True),
                "large logits overflow exp(): subtract each row's maximum first (softmax(z) = softmax(z - c))."),
        Mistake(lambda z: z / z.sum(dim=-1, keepdim=True), "softmax exponentiates first: exp(z) / sum(exp(z))."),
    ]
    return check_function("softmax", student, softmax_reference, cases, mistakes)
