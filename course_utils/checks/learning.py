"""Checkers for notebook 03 (how a CNN learns): softmax, cross-entropy, gradients, conv backward."""

from __future__ import annotations

import torch

from .core import Case, CheckResult, Mistake, check_function, check_value


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


def ce_grad_reference(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Gradient of the mean cross-entropy over a batch w.r.t. the logits: ``(softmax(z) - onehot(y)) / N``.

    z ``[N, K]``, y ``[N]`` (class indices) -> ``[N, K]``.
    """
    onehot = torch.nn.functional.one_hot(y, z.shape[1]).to(z.dtype)
    return (softmax_reference(z) - onehot) / z.shape[0]


def check_ce_grad(student) -> CheckResult:
    """Exercise 3.2: ``ce_grad(z, y)``, the gradient of ``F.cross_entropy(z, y)`` (a mean) w.r.t. ``z``."""
    g = torch.Generator().manual_seed(32)
    cases = [Case((torch.tensor([[0.0, 0.0]]), torch.tensor([0])), label="z = [[0, 0]], y = [0]"),
             Case((torch.tensor([[2.0, 1.0, 0.1]]), torch.tensor([2])), label="z = [[2, 1, 0.1]], y = [2]"),
             Case((torch.randn(5, 10, generator=g), torch.tensor([0, 3, 9, 3, 1])), label="z [5, 10], y [5]")]
    onehot = lambda z, y: torch.nn.functional.one_hot(y, z.shape[1]).to(z.dtype)  # noqa: E731
    mistakes = [
        Mistake(lambda z, y: softmax_reference(z) - onehot(z, y),
                "cross_entropy averages over the batch: divide the gradient by N = z.shape[0]."),
        Mistake(lambda z, y: (onehot(z, y) - softmax_reference(z)) / z.shape[0],
                "the sign is reversed: the loss falls when the right class's logit rises, so its "
                "gradient there is p_y - 1 < 0."),
        Mistake(lambda z, y: softmax_reference(z) / z.shape[0],
                "subtract 1 at the right class: dL/dz_k = p_k - [k = y]."),
        Mistake(lambda z, y: -onehot(z, y) / softmax_reference(z) / z.shape[0],
                "that is the gradient w.r.t. the probabilities p; go one step further through softmax "
                "(the chain rule): the result is simply p - onehot(y)."),
    ]
    return check_function("ce_grad", student, ce_grad_reference, cases, mistakes)


def conv_weight_grad_reference(grad_out: torch.Tensor, x: torch.Tensor, kernel_size: int) -> torch.Tensor:
    """``dL/dw`` of a stride-1, unpadded convolution: grad_out ``[N, O, OH, OW]``, x ``[N, C, H, W]``
    -> ``[O, C, K, K]``; ``dL/dw[o, c, u, v] = sum_{n,i,j} g[n, o, i, j] x[n, c, i + u, j + v]``."""
    oh, ow = grad_out.shape[2:]
    out = x.new_zeros(grad_out.shape[1], x.shape[1], kernel_size, kernel_size)
    for u in range(kernel_size):
        for v in range(kernel_size):
            out[:, :, u, v] = torch.einsum("noij,ncij->oc", grad_out, x[:, :, u: u + oh, v: v + ow])
    return out


def check_conv_weight_grad(student) -> CheckResult:
    """Exercise 3.6: ``conv_weight_grad(grad_out, x, kernel_size)`` for stride 1 and no padding."""
    g = torch.Generator().manual_seed(34)
    x1 = torch.arange(16.0).reshape(1, 1, 4, 4)
    cases = [Case((torch.ones(1, 1, 2, 2), x1, 3), label="g = ones [1, 1, 2, 2], x = arange(16) [1, 1, 4, 4], K = 3"),
             Case((torch.randn(1, 2, 4, 4, generator=g), torch.randn(1, 3, 6, 6, generator=g), 3),
                  label="g [1, 2, 4, 4], x [1, 3, 6, 6], K = 3"),
             Case((torch.randn(3, 2, 5, 5, generator=g), torch.randn(3, 3, 7, 7, generator=g), 3),
                  label="g [3, 2, 5, 5], x [3, 3, 7, 7], K = 3 (a batch of 3)")]
    mistakes = [
        Mistake(lambda go, x, k: conv_weight_grad_reference(go, x, k).flip(2, 3),
                "the kernel came out flipped: tap (u, v) saw x[i + u, j + v], so pair g[i, j] with "
                "x[i + u, j + v] (a correlation, no flip; the flip belongs to the input's gradient)."),
        Mistake(lambda go, x, k: conv_weight_grad_reference(go[:1], x[:1], k),
                "sum over the whole batch: every image used the same kernel, so each adds its share."),
        Mistake(lambda go, x, k: conv_weight_grad_reference(go, x, k) / go.shape[0],
                "sum over the batch, do not average: the upstream gradient already carries the 1/N "
                "of a mean loss."),
    ]
    return check_function("conv_weight_grad", student, conv_weight_grad_reference, cases, mistakes)


def check_initial_loss(prediction, measured: float) -> CheckResult:
    """Exercise 3.4: the cross-entropy of a 10-class network that is not trained yet (within 0.15)."""
    if prediction is None or prediction is ...:
        return check_value("initial loss", None, measured)
    try:
        p = float(prediction)
    except (TypeError, ValueError):
        p = prediction
    hints = [(0.1, "that is the probability of the right class, 1/10; the loss is minus its log."),
             (1.0, "a guess among 10 classes gives each class probability 1/10; the loss is -log(1/10)."),
             (10.0, "-log(1/10) = log(10), not 10."),
             (p, "with near-equal logits every class gets probability about 1/10: the loss is about -log(1/10).")]
    return check_value("initial loss", p, measured, hints, rtol=0, atol=0.15)


def check_grad_counts(prediction, measured: tuple[float, float]) -> CheckResult:
    """Exercise 3.7: ``(grad_x at the centre, grad_x at the corner)`` for all-ones g and kernel."""
    hints = [((1.0, 1.0), "an input value in the middle is seen by several windows; each adds g * w = 1."),
             ((9.0, 9.0), "the corner pixel lies in only one window (the first), so it gets one contribution."),
             ((4.0, 1.0), "count the 3×3 windows that contain the centre pixel: every offset (u, v) in 0..2.")]
    if prediction is None or prediction is ...:
        return check_value("grad_x (centre, corner)", None, measured)
    if not isinstance(prediction, (tuple, list)) or len(prediction) != 2:
        return check_value("grad_x (centre, corner)", prediction, measured,
                           [(prediction, "answer with two numbers: (centre, corner).")])
    got = tuple(float(v) for v in prediction)
    return check_value("grad_x (centre, corner)", got, tuple(float(v) for v in measured), hints)
