"""Look inside a network: per-layer gradient norms and activation statistics.

Used by notebooks 08 (initialisation, batch norm) and 09-11 (degradation, residual nets): "do the
gradients vanish?" and "how do the activations drift?" are measurements, not opinions.

* :func:`gradient_norms` -- ``||dL/dW||`` of every convolution and linear weight, input to output;
* :func:`activations` -- the outputs of chosen layers for one batch (forward hooks);
* :func:`activation_stats` -- their mean, standard deviation and fraction of zeros;
* :func:`signal_scales` -- per hidden layer, the activation's spread and the weight's gradient.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import torch
import torch.nn.functional as F
from torch import nn

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
WEIGHTED = (nn.Conv2d, nn.Linear)
"""The layers whose weights :func:`gradient_norms` reports."""


@contextmanager
def _buffers_kept(model: nn.Module) -> Iterator[None]:
    """Restore the model's buffers (batch norm's running statistics) when the block ends."""
    saved = [(b, b.detach().clone()) for b in model.buffers()]
    try:
        yield
    finally:
        with torch.no_grad():
            for b, value in saved:
                b.copy_(value)


def _forward_order(model: nn.Module, x: torch.Tensor, kinds: tuple[type, ...]) -> list[str]:
    """Names of the ``kinds`` modules in the order the forward pass calls them (first call).

    ``_forward_order`` runs one forward pass; callers keep the buffers with :func:`_buffers_kept`.
    """
    order: list[str] = []
    handles = [m.register_forward_hook(lambda _m, _i, _o, name=name: order.append(name))
               for name, m in model.named_modules() if isinstance(m, kinds)]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return list(dict.fromkeys(order))


def gradient_norms(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                   loss_fn: LossFn = F.cross_entropy) -> dict[str, float]:
    """L2 norm of the loss gradient for each conv/linear weight, in forward order.

    Args:
        model: any network; its mode (train/eval) is used as it is, its ``.grad`` fields are
            left untouched (the gradients are computed with ``torch.autograd.grad``).
        x: a batch ``[N, ...]``; y: its targets ``[N]``.

    Returns:
        ``{"stem.0": 0.41, "stages.0.0.conv1": 0.27, ..., "fc": 0.9}`` (module names).
    """
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} examples but y has {len(y)}; they must match")
    modules = dict(model.named_modules())
    with _buffers_kept(model):  # a BN net in train mode would update its running statistics
        names = _forward_order(model, x, WEIGHTED)
        if not names:
            raise ValueError("the model has no nn.Conv2d or nn.Linear layer to report on")
        weights = [modules[n].weight for n in names]
        loss = loss_fn(model(x), y)
        grads = torch.autograd.grad(loss, weights, allow_unused=True)
    return {n: (0.0 if g is None else float(g.norm())) for n, g in zip(names, grads)}


def activations(model: nn.Module, x: torch.Tensor,
                kinds: tuple[type, ...] = (nn.ReLU,),
                names: list[str] | None = None) -> dict[str, torch.Tensor]:
    """Outputs of the chosen layers for the batch ``x``, in forward order (detached copies).

    Args:
        kinds: record every module of these types (ignored if ``names`` is given).
        names: or record exactly these modules (names as in ``model.named_modules()``).

    Returns:
        ``{name: tensor}``; a module called twice (a shared ReLU) gets ``name``, ``name#2``, ...
        No gradient is computed and the model's running statistics are left unchanged.
        For :func:`~course_utils.models.cifar_resnet` (whose blocks call ``F.relu``) pass
        ``kinds=(BasicBlock,)`` to record every block's output.
    """
    modules = dict(model.named_modules())
    if names is not None:
        missing = [n for n in names if n not in modules]
        if missing:
            raise ValueError(f"no module named {missing}; some names there: {list(modules)[1:8]}")
        chosen = {n: modules[n] for n in names}
    else:
        chosen = {n: m for n, m in modules.items() if isinstance(m, kinds) and n}
    if not chosen:
        raise ValueError(f"the model has no module of type {[k.__name__ for k in kinds]}")
    out: dict[str, torch.Tensor] = {}

    def record(name: str, output: torch.Tensor) -> None:
        key, k = name, 1
        while key in out:
            k += 1
            key = f"{name}#{k}"
        out[key] = output.detach().clone()

    handles = [m.register_forward_hook(lambda _m, _i, o, name=n: record(name, o))
               for n, m in chosen.items()]
    try:
        with torch.no_grad(), _buffers_kept(model):
            model(x)
    finally:
        for h in handles:
            h.remove()
    return out


def activation_stats(model: nn.Module, x: torch.Tensor,
                     kinds: tuple[type, ...] = (nn.ReLU,),
                     names: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Mean, standard deviation and fraction of exact zeros of each recorded activation.

    Same arguments as :func:`activations`. Returns ``{name: {"mean", "std", "zeros"}}``.
    """
    stats = {}
    for name, a in activations(model, x, kinds, names).items():
        a = a.float()
        stats[name] = {"mean": float(a.mean()), "std": float(a.std()),
                       "zeros": float((a == 0).float().mean())}
    return stats


def signal_scales(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> dict[str, list[float]]:
    """Per hidden layer: the std of its ReLU output and the norm of its weight's gradient.

    Returns ``{"activation_std": [depth values], "gradient_norm": [depth values]}`` (input to
    output; the classifier's gradient is left out). Notebook 08: Xavier against He initialisation.
    """
    stats = activation_stats(model, x, kinds=(nn.ReLU,))
    grads = list(gradient_norms(model, x, y).values())[:-1]
    return {"activation_std": [s["std"] for s in stats.values()], "gradient_norm": grads}
