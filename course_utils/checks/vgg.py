"""Checkers for the exercises of notebook 06 (VGG): activation memory, configuration C, the
fully convolutional score map."""
from __future__ import annotations

from typing import Any

from .core import Case, CheckResult, Mistake, check_function, check_value


def _activation_values(config: list, side: int = 224, in_channels: int = 3) -> int:
    """Values kept per image by a VGG's convolutional part: input + every conv and pool output."""
    total, c = in_channels * side * side, in_channels
    for item in config:
        if item == "M":
            side //= 2
        else:
            c = item[0] if isinstance(item, tuple) else item
        total += c * side * side
    return total


def _no_input(config, side=224, in_channels=3):
    return _activation_values(config, side, in_channels) - in_channels * side * side


def _no_pools(config, side=224, in_channels=3):
    total, c = in_channels * side * side, in_channels
    for item in config:
        if item == "M":
            side //= 2
        else:
            c = item
            total += c * side * side
    return total


def _never_halved(config, side=224, in_channels=3):
    total, c = in_channels * side * side, in_channels
    for item in config:
        if item != "M":
            c = item
        total += c * side * side
    return total


def check_activation_values(fn: Any) -> CheckResult:
    """``fn(config, side, in_channels)``: values per image kept by a VGG's features (input included)."""
    cases = [Case(([4], 8, 1), label="config [4] on a 1×8×8 image"),
             Case(([4, "M"], 8, 1), label="config [4, 'M'] on a 1×8×8 image"),
             Case(([8, 8, "M", 16, "M"], 32, 3), label="a two-stage net on 3×32×32"),
             Case(([64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"], 224, 3),
                  label="VGG-16 (configuration D) on 3×224×224")]
    mistakes = [Mistake(_no_input, "the input image is kept too (the first convolution's backward pass needs it)"),
                Mistake(_no_pools, "every max-pool makes a new, smaller tensor: count its output as well"),
                Mistake(_never_halved, "after each 'M' the side is halved (224 → 112 → ...)")]
    return check_function("activation_values", fn, _activation_values, cases, mistakes)


def check_config_c_prediction(guess: Any, measured: int) -> CheckResult:
    """Predict (in thousands) the parameters configuration C adds to B; within 10 %."""
    k = measured / 1e3
    hints = [(3 * 512 * 512 / 1e3, "there are three 1×1 layers, but the first sits in stage 3 with 256 channels"),
             (9 * (256 * 256 + 2 * 512 * 512) / 1e3, "a 1×1 kernel has one weight per channel pair, not nine"),
             (256 * 256 / 1e3 + 2 * 512 / 1e3, "each 1×1 layer maps C channels to C channels: C² weights")]
    return check_value("configuration C's extra parameters (thousands)", guess, k, hints, rtol=0.1)


def check_score_map_prediction(guess: Any, measured: int) -> CheckResult:
    """Predict how many score positions (h·w) VGG-16 run as convolutions gives on 384×384."""
    hints = [(144, "the first FC layer became a 7×7 convolution: a 12×12 map gives 12 - 7 + 1 = 6 positions per side"),
             (1, "run as convolutions the head accepts any size; only the 224×224 input gives a single position"),
             (49, "384 / 32 = 12 is the side of the feature map; the 7×7 'FC' kernel then slides over it")]
    return check_value("score positions on a 384×384 image", guess, measured, hints, rtol=0, atol=0.5)


__all__ = ["check_activation_values", "check_config_c_prediction", "check_score_map_prediction"]
