"""Tests for course_utils.runtime: profiles, device choice, seeding, quiet mode, setup()."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from course_utils import runtime
from course_utils.runtime import PROFILES, by_profile, current_profile, device, is_quiet, seed_everything, setup


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """Start every test from an environment without the course's switches (CI sets them)."""
    for var in ("COURSE_PROFILE", "COURSE_DEVICE", "COURSE_QUIET", "CI"):
        monkeypatch.delenv(var, raising=False)


def test_profile_unset_is_default():
    assert current_profile() == "default"


@pytest.mark.parametrize("value, expected", [("ci", "ci"), ("default", "default"), ("full", "full"),
                                             (" CI ", "ci"), ("", "default")])
def test_profile_from_env(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_PROFILE", value)
    assert current_profile() == expected


def test_bad_profile_names_the_choices(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "huge")
    with pytest.raises(ValueError) as err:
        current_profile()
    message = str(err.value)
    assert "huge" in message
    assert all(name in message for name in PROFILES)


def test_by_profile_follows_env(monkeypatch):
    assert by_profile(ci=1, default=2, full=3) == 2
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    assert by_profile(ci=1, default=2, full=3) == 1
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert by_profile(ci=1, default=2, full=3) == 3


def test_by_profile_explicit_profile_wins(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    assert by_profile(ci="a", default="b", full="c", profile="full") == "c"
    with pytest.raises(ValueError, match="tiny"):
        by_profile(ci=1, default=2, full=3, profile="tiny")


def test_by_profile_needs_keywords():
    with pytest.raises(TypeError):
        by_profile(1, 2, 3)  # type: ignore[misc]


def test_device_override_by_env(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert device() == torch.device("cpu")
    monkeypatch.setenv("COURSE_DEVICE", "meta")
    assert device() == torch.device("meta")
    assert device(prefer="cpu") == torch.device("cpu")  # the argument beats the variable


def test_device_auto_is_a_real_device():
    dev = device()
    assert dev.type in ("cpu", "cuda", "mps")
    torch.zeros(2, device=dev)  # usable


def test_device_falls_back_to_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert device() == torch.device("cpu")


def _draws() -> tuple[float, float, torch.Tensor]:
    return random.random(), float(np.random.rand()), torch.rand(5)


def test_seed_everything_repeats():
    seed_everything(123)
    first = _draws()
    seed_everything(123)
    second = _draws()
    assert first[:2] == second[:2]
    assert torch.equal(first[2], second[2])
    seed_everything(124)
    third = _draws()
    assert not torch.equal(first[2], third[2])


def test_seed_everything_deterministic_flags(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # the switch is for GPU kernels
    seed_everything(0, deterministic=True)
    assert torch.backends.cudnn.deterministic and not torch.backends.cudnn.benchmark
    assert torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)


def test_seed_everything_on_cpu_skips_the_costly_switch(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    seed_everything(0, deterministic=True)
    assert not torch.are_deterministic_algorithms_enabled()
    a = torch.nn.functional.conv2d(torch.ones(1, 2, 5, 5), torch.ones(3, 2, 3, 3))
    seed_everything(0, deterministic=True)
    assert torch.equal(a, torch.nn.functional.conv2d(torch.ones(1, 2, 5, 5), torch.ones(3, 2, 3, 3)))


@pytest.mark.parametrize("var, value, quiet", [
    (None, None, False), ("COURSE_QUIET", "1", True), ("COURSE_QUIET", "yes", True),
    ("COURSE_QUIET", "0", False), ("CI", "true", True), ("COURSE_PROFILE", "ci", True),
    ("COURSE_PROFILE", "full", False),
])
def test_is_quiet(monkeypatch, var, value, quiet):
    if var:
        monkeypatch.setenv(var, value)
    assert is_quiet() is quiet


def test_setup_prints_profile_line(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "ci")
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    dev = setup(seed=7)
    line = capsys.readouterr().out.strip()
    assert dev == torch.device("cpu")
    assert line.startswith("Profile: ci | device: cpu (")
    assert f"torch {torch.__version__}" in line and line.endswith("seed 7")
    assert len(line.splitlines()) == 1


def test_setup_seeds(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    setup(seed=3)
    a = torch.rand(3)
    setup(seed=3)
    assert torch.equal(a, torch.rand(3))
    torch.use_deterministic_algorithms(False)


def test_profiles_constant():
    assert runtime.PROFILES == ("ci", "default", "full")


def test_single_thread_restores_the_thread_count():
    before = torch.get_num_threads()
    with runtime.single_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with pytest.raises(RuntimeError), runtime.single_thread():
        raise RuntimeError("boom")
    assert torch.get_num_threads() == before
