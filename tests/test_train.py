"""Tests for course_utils.train: fit, evaluate, train_one_epoch and History."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from course_utils.data import BatchLoader
from course_utils.train import History, evaluate, fit, train_one_epoch

CPU = torch.device("cpu")


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("COURSE_QUIET", "1")


def separable(n: int = 256, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Images [n, 1, 4, 4] whose class is the sign of their mean: a linear model can learn it."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.randn(n, 1, 4, 4, generator=g) * 0.5 + (2.0 * y - 1.0).view(n, 1, 1, 1)
    return x, y


def tiny_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(16, 2))


def loaders() -> tuple[BatchLoader, BatchLoader]:
    x, y = separable(256, seed=0)
    xt, yt = separable(128, seed=1)
    return BatchLoader(x, y, 32, shuffle=True, seed=0), BatchLoader(xt, yt, 64)


def test_fit_lowers_the_loss():
    train, test = loaders()
    model = tiny_model()
    before = evaluate(model, test)
    history = fit(model, train, test, epochs=4, lr=0.05, device=CPU)
    assert len(history) == 4 and not history.interrupted
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.test_loss[-1] < 0.5 * before["loss"]
    assert history.test_error[-1] <= 0.05
    assert [row["epoch"] for row in history.rows] == [1, 2, 3, 4]


def test_fit_history_columns():
    train, test = loaders()
    history = fit(tiny_model(), train, test, epochs=2, device=CPU)
    assert set(history.to_dict()) == {"epoch", "train_loss", "train_error", "seconds", "images_per_s",
                                      "test_loss", "test_error"}
    for row in history.rows:
        assert row["seconds"] > 0
        assert math.isclose(row["images_per_s"], 256 / row["seconds"], rel_tol=1e-9)
        assert 0.0 <= row["train_error"] <= 1.0 and 0.0 <= row["test_error"] <= 1.0
    no_test = fit(tiny_model(), train, epochs=1, device=CPU)
    assert "test_error" not in no_test.to_dict() and no_test.test_error == []


def test_fit_is_repeatable():
    a = fit(tiny_model(), loaders()[0], epochs=2, device=CPU)
    b = fit(tiny_model(), loaders()[0], epochs=2, device=CPU)
    assert a.train_loss == pytest.approx(b.train_loss, rel=1e-5)


def test_fit_uses_given_optimizer_and_loss():
    train, _ = loaders()
    model = tiny_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    calls = []

    def loss_fn(logits, y):
        calls.append(len(y))
        return nn.functional.cross_entropy(logits, y)

    fit(model, train, epochs=1, optimizer=opt, loss_fn=loss_fn, device=CPU)
    assert sum(calls) == 256 and len(opt.state) == 2  # Adam kept moments for weight and bias


def test_fit_steps_the_scheduler_once_per_epoch():
    train, test = loaders()
    model = tiny_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.08)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    fit(model, train, test, epochs=3, optimizer=opt, scheduler=sched, device=CPU)
    assert sched.last_epoch == 3
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01)


class InterruptedLoader:
    """Yields the batches of ``loader``; in epoch ``stop_epoch`` it raises KeyboardInterrupt mid-way."""

    def __init__(self, loader: BatchLoader, stop_epoch: int = 2) -> None:
        self.loader, self.stop_epoch, self.epoch = loader, stop_epoch, 0

    def __len__(self) -> int:
        return len(self.loader)

    def __iter__(self):
        self.epoch += 1
        for k, batch in enumerate(self.loader):
            if self.epoch == self.stop_epoch and k == 2:
                raise KeyboardInterrupt
            yield batch


def test_ctrl_c_keeps_the_finished_epochs(capsys):
    train, test = loaders()
    model = tiny_model()
    history = fit(model, InterruptedLoader(train), test, epochs=5, device=CPU)
    assert history.interrupted and len(history) == 1
    assert history.rows[0]["epoch"] == 1 and "test_error" in history.rows[0]
    assert "Interrupted: kept 1 finished epoch(s) of 5" in capsys.readouterr().out
    # the model keeps what the finished epoch taught it: far better than chance (0.5) afterwards
    assert evaluate(model, test)["error"] < 0.25


def test_empty_loader_is_a_value_error():
    x, y = torch.zeros(0, 1, 4, 4), torch.zeros(0, dtype=torch.long)
    empty = BatchLoader(x, y, 8)
    with pytest.raises(ValueError, match="empty loader"):
        fit(tiny_model(), empty, epochs=1, device=CPU)
    with pytest.raises(ValueError, match="empty loader"):
        evaluate(tiny_model(), empty)
    model = tiny_model()
    with pytest.raises(ValueError, match="empty loader"):
        train_one_epoch(model, [], torch.optim.SGD(model.parameters(), lr=0.1), device=CPU)


def test_train_one_epoch_counts():
    train, _ = loaders()
    model = tiny_model()
    out = train_one_epoch(model, train, torch.optim.SGD(model.parameters(), lr=0.05), device=CPU)
    assert out["images"] == 256 and out["train_loss"] > 0 and 0 <= out["train_error"] <= 1
    assert model.training


def known_model() -> nn.Module:
    """Logits equal the input: predictions are the argmax of each row."""
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    return model


def test_evaluate_on_known_predictions():
    x = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 3.0], [5.0, 4.0], [0.0, 9.0]])
    y = torch.tensor([0, 0, 1, 1, 1])  # predictions 0, 1, 1, 0, 1: two of five wrong
    model = known_model().train()
    batches = [(x[:3], y[:3]), (x[3:], y[3:])]
    scores = evaluate(model, batches)
    assert scores["error"] == pytest.approx(2 / 5)
    assert scores["accuracy"] == pytest.approx(3 / 5)
    assert scores["loss"] == pytest.approx(float(nn.functional.cross_entropy(x, y)), rel=1e-6)
    assert model.training  # evaluate puts the model back in the mode it found


def test_evaluate_custom_loss():
    x, y = torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1])
    scores = evaluate(known_model(), [(x, y)], loss_fn=lambda logits, target: logits.sum() * 0 + 7.0)
    assert scores == {"loss": 7.0, "error": 0.0, "accuracy": 1.0}


def test_history_round_trip():
    h = History([{"epoch": 1, "train_loss": 1.0, "test_error": 0.5},
                 {"epoch": 2, "train_loss": 0.5, "test_error": 0.25}])
    columns = h.to_dict()
    assert columns == {"epoch": [1, 2], "train_loss": [1.0, 0.5], "test_error": [0.5, 0.25]}
    back = History.from_dict(columns)
    assert back.rows == h.rows and len(back) == 2
    assert back.train_loss == [1.0, 0.5] and back.test_error == [0.5, 0.25]
    assert back.train_error == [] and back.column("epoch") == [1, 2]
    assert History.from_dict({}).rows == []


def test_history_from_fit_round_trips_through_json():
    import json

    history = fit(tiny_model(), loaders()[0], loaders()[1], epochs=2, device=CPU)
    back = History.from_dict(json.loads(json.dumps(history.to_dict())))
    assert back.rows == history.rows


def test_history_uneven_columns():
    h = History.from_dict({"train_loss": [3.0, 2.0, 1.0], "test_error": [0.4]})
    assert len(h) == 3 and h.test_error == [0.4] and h.train_loss == [3.0, 2.0, 1.0]


def test_progress_bar_silent_when_quiet(capsys):
    fit(tiny_model(), loaders()[0], epochs=1, device=CPU, progress=True)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_live_plot_outside_a_notebook(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_QUIET", "0")
    monkeypatch.setenv("COURSE_PROFILE", "default")
    monkeypatch.delenv("CI", raising=False)
    history = fit(tiny_model(), loaders()[0], loaders()[1], epochs=2, device=CPU, progress=False,
                  live_plot=True)
    assert len(history) == 2
    capsys.readouterr()


def test_live_plot_in_a_notebook_redraws_each_epoch(monkeypatch):
    import IPython.display
    from matplotlib.figure import Figure

    drawn = []

    class Handle:
        def update(self, figure):
            assert isinstance(figure, Figure)
            drawn.append(len(figure.axes[0].lines))

    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: Handle())
    monkeypatch.setenv("COURSE_QUIET", "0")
    monkeypatch.setenv("COURSE_PROFILE", "default")
    monkeypatch.delenv("CI", raising=False)
    fit(tiny_model(), loaders()[0], loaders()[1], epochs=3, device=CPU, progress=False, live_plot=True)
    assert drawn == [2, 2, 2]  # one redraw per epoch, train and test error curves
