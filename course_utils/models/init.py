"""Weight initialisation by the variance argument: Xavier (Glorot & Bengio, AISTATS 2010) and He
(He, Zhang, Ren & Sun, "Delving Deep into Rectifiers", ICCV 2015, section 2.2); notebook 08.

A layer with ``fan_in`` inputs multiplies the variance of its input by ``fan_in * Var(w)``. Keeping
that factor at 1 gives Xavier's ``Var(w) = 2 / (fan_in + fan_out)`` (a compromise between the
forward and the backward pass); a ReLU zeroes half of its inputs, which He makes up for with
``Var(w) = 2 / fan_in``.
"""

from __future__ import annotations

from torch import nn

INITS = ("xavier", "he")
"""The two initialisations :func:`init_weights_` knows."""


def init_weights_(model: nn.Module, init: str) -> nn.Module:
    """Re-initialise every Linear/Conv2d weight of ``model`` in place, ``"xavier"`` or ``"he"``
    (normal distributions), and every bias to zero. Returns ``model``."""
    if init not in INITS:
        raise ValueError(f"init={init!r}; choose one of {INITS}")
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            if init == "he":
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            else:
                nn.init.xavier_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model
