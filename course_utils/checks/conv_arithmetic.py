"""Checkers of notebook 02's exercises: "same" padding with stride and dilation, and which input
pixels one output of a stack of convolutions sees.

General output size along one axis (Dumoulin & Visin 2016; PyTorch's ``Conv2d`` documentation)::

    out = floor((W + P_begin + P_end - D·(K - 1) - 1) / S) + 1

Receptive field of a stack (Araujo, Norris & Sim, Distill 2019), jump ``j`` = distance in input
pixels between neighbouring outputs::

    r_l = r_{l-1} + D_l·(K_l - 1)·j_{l-1},   j_l = j_{l-1}·S_l,   r_0 = j_0 = 1
"""

from __future__ import annotations

from typing import Any, Sequence

from .core import Case, CheckResult, Mistake, check_function, check_value

Layer = tuple[int, int, int, int]
"""One conv layer along one axis: ``(kernel K, stride S, padding P, dilation D)``."""


def _same_padding(w: int, k: int, s: int = 1, d: int = 1) -> tuple[int, int]:
    """TensorFlow-style "same": the output has ceil(W / S) cells; the extra zero goes at the end."""
    out = -(-w // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - w, 0)
    return total // 2, total - total // 2


def check_same_padding(fn: Any) -> CheckResult:
    """``fn(w, k, s=1, d=1) -> (p_begin, p_end)`` with output ``ceil(w / s)`` and the smaller side first."""
    cases = [Case((7, 3)), Case((8, 4)), Case((7, 3, 2)), Case((8, 3, 2)), Case((10, 3, 1, 2)),
             Case((8, 1, 3)), Case((15, 5, 2, 3))]
    mistakes = [
        Mistake(lambda w, k, s=1, d=1: _same_padding(w, k, s, 1),
                "dilation spreads the kernel: a dilated kernel covers D·(K - 1) + 1 cells"),
        Mistake(lambda w, k, s=1, d=1: _same_padding(w, k, s, d)[::-1],
                "the odd extra zero goes at the END (p_end), as TensorFlow and the Guide do"),
        Mistake(lambda w, k, s=1, d=1: (d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2),
                "the stride changes what 'same' needs: the output must have ceil(w / s) cells, so the "
                "last window starts at (ceil(w / s) - 1)·s"),
        Mistake(lambda w, k, s=1, d=1: (lambda t: (t // 2, t - t // 2))((-(-w // s) - 1) * s + d * (k - 1) + 1 - w),
                "padding cannot be negative: when the windows already fit, the padding is 0 (clamp with max)"),
    ]
    return check_function("same_padding", fn, _same_padding, cases, mistakes)


def _input_window(layers: Sequence[Layer], i: int) -> tuple[int, int]:
    """First and last input index (inclusive; negative = in the padding) that output ``i`` sees."""
    start, end = i, i
    for k, s, p, d in reversed(list(layers)):
        start, end = start * s - p, end * s - p + d * (k - 1)
    return start, end


def _forward_order(layers: Sequence[Layer], i: int) -> tuple[int, int]:
    return _input_window(list(layers)[::-1], i)


def check_input_window(fn: Any) -> CheckResult:
    """``fn(layers, i) -> (start, end)``: the input cells output ``i`` of the last layer depends on."""
    cases = [
        Case(([(3, 1, 0, 1)], 0), label="(one 3x3 layer, no padding, output 0)"),
        Case(([(3, 1, 1, 1)], 0), label="(one 3x3 layer, padding 1, output 0)"),
        Case(([(3, 2, 1, 1), (3, 2, 1, 1)], 1), label="(two 3x3 layers, stride 2, padding 1, output 1)"),
        Case(([(3, 1, 0, 2), (3, 1, 0, 1)], 0), label="(3x3 dilation 2, then 3x3, output 0)"),
        Case(([(3, 1, 0, 1), (3, 2, 0, 1)], 2), label="(3x3, then 3x3 stride 2, output 2)"),
        Case(([(5, 2, 2, 1), (3, 1, 1, 2), (2, 2, 0, 1)], 3), label="(5x5 s2 p2, 3x3 d2 p1, 2x2 s2, output 3)"),
    ]
    mistakes = [
        Mistake(_forward_order, "walk the layers from the LAST to the first: start from output i and "
                                "ask which cells of the layer below it reads"),
        Mistake(lambda layers, i: _input_window([(k, s, 0, d) for k, s, p, d in layers], i),
                "padding shifts the window: output i of a layer starts at i·S - P of its input"),
        Mistake(lambda layers, i: _input_window([(k, s, p, 1) for k, s, p, d in layers], i),
                "a dilated kernel reaches D·(K - 1) cells past its first cell, not K - 1"),
        Mistake(lambda layers, i: (lambda a, b: (a, b + 1))(*_input_window(layers, i)),
                "give the LAST cell (inclusive), not one past it"),
    ]
    return check_function("input_window", fn, _input_window, cases, mistakes)


DILATED_VS_STRIDED = (31, 31, 34, 3)
"""Four 3×3 layers on 64×64, no padding: (field, field, side, side) for dilations 1, 2, 4, 8 vs stride 2."""


def check_dilation_vs_stride(field_dilated: Any, field_strided: Any, side_dilated: Any, side_strided: Any) -> CheckResult:
    """The measured receptive fields and output sides of notebook 02's dilated and strided stacks."""
    answer = (field_dilated, field_strided, side_dilated, side_strided)
    hints = [((9, 31, 34, 3), "dilation d makes a 3x3 layer reach 2·d cells: 1 + 2·(1 + 2 + 4 + 8)"),
             ((31, 31, 56, 3), "each dilated layer shrinks the map by 2·d: 64 - 30 = 34"),
             ((31, 31, 34, 4), "stride 2 without padding: 64 -> 31 -> 15 -> 7 -> 3 (floor, then + 1)"),
             ((31, 9, 34, 3), "a stride multiplies the jump of the layers after it: 1 + 2·(1 + 2 + 4 + 8) too")]
    if any(v is ... or v is None for v in answer):
        return check_value("dilated vs strided", ..., DILATED_VS_STRIDED)
    try:
        answer = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return check_value("dilated vs strided", answer, DILATED_VS_STRIDED)
    return check_value("dilated vs strided (field, field, side, side)", answer, DILATED_VS_STRIDED, hints)
