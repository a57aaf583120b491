"""The fast training engine computes what a bare PyTorch loop computes (issue 20).

``fit`` trains in channels-last memory and keeps its running sums on the device; neither may change
the numbers beyond float tolerance. The reference below is the loop every tutorial writes, in the
default (contiguous) layout, on the same batches with the same optimizer.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from course_utils.data import BatchLoader
from course_utils.train import fit

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("COURSE_QUIET", "1")


def small_cnn() -> nn.Module:
    """Conv-BN-ReLU-pool twice and a linear head: [N, 1, 12, 12] -> [N, 10]."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 3 * 3, 10),
    )


def data() -> BatchLoader:
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(256, 1, 12, 12, generator=g), torch.randint(0, 10, (256,), generator=g)
    return BatchLoader(x, y, 32, shuffle=True, seed=0)


def sgd(model: nn.Module) -> torch.optim.Optimizer:
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)


def bare_loop(model: nn.Module, loader: BatchLoader, epochs: int) -> list[float]:
    """Forward, loss, backward, step; returns each epoch's mean training loss."""
    opt, means = sgd(model), []
    model.train()
    for _ in range(epochs):
        total, count = 0.0, 0
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total, count = total + float(loss.detach()) * len(y), count + len(y)
        means.append(total / count)
    return means


def one_batch() -> BatchLoader:
    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(32, 1, 12, 12, generator=g), torch.randint(0, 10, (32,), generator=g)
    return BatchLoader(x, y, 32)


@pytest.mark.parametrize("channels_last", [True, False])
def test_one_step_of_fit_is_the_bare_step(channels_last):
    """One SGD step: the same weights to float32 rounding (nothing has had time to amplify it)."""
    reference, engine = small_cnn(), small_cnn()
    bare_loop(reference, one_batch(), epochs=1)
    fit(engine, one_batch(), epochs=1, optimizer=sgd(engine), device=CPU, channels_last=channels_last)
    for (name, a), b in zip(reference.state_dict().items(), engine.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), rtol=1e-5, atol=1e-6), name


@pytest.mark.parametrize("channels_last", [True, False])
def test_fit_follows_the_bare_loop_over_two_epochs(channels_last):
    """Sixteen steps: rounding differences of the memory layout grow through momentum and batch
    norm (measured: weights up to 1e-4 apart on 2 threads), so the runs agree to 1e-3, not 1e-6."""
    reference, engine = small_cnn(), small_cnn()
    want = bare_loop(reference, data(), epochs=2)
    history = fit(engine, data(), epochs=2, optimizer=sgd(engine), device=CPU, channels_last=channels_last)
    assert history.train_loss == pytest.approx(want, rel=1e-3)
    for (name, a), b in zip(reference.state_dict().items(), engine.state_dict().values()):
        assert torch.allclose(a.float(), b.float(), rtol=1e-3, atol=1e-3), name


def test_fit_returns_the_model_in_the_usual_layout():
    model = small_cnn()
    fit(model, data(), epochs=1, device=CPU)  # channels-last inside
    conv = model[0].weight
    assert conv.is_contiguous(), "fit must hand back the model in contiguous (NCHW) memory"
    assert conv.view(-1).numel() == conv.numel()  # .view works again on the weights


def test_mixed_precision_is_off_on_the_cpu():
    from course_utils.train import _use_amp

    assert not _use_amp(CPU)
