"""Tests for the path-gradient probe (Veit et al. 2016, notebook 11) and its checkers."""
import itertools
import math

import pytest
import torch

from course_utils.checks.ensembles import check_prediction, check_unrolled_sum
from course_utils.models import cifar_resnet
from course_utils.probes.paths import path_contributions, path_gradient, path_gradient_norms


def _net(plain=False):
    torch.manual_seed(0)
    return cifar_resnet(8, plain=plain, in_channels=1, width=4).eval()


def _batch():
    g = torch.Generator().manual_seed(1)
    return torch.randn(6, 1, 12, 12, generator=g), torch.randint(0, 10, (6,), generator=g)


def _full_gradient(model, x, y):
    store = []

    def leaf(_m, args):
        store.append(args[0].detach().requires_grad_(True))
        return (store[-1],)

    h = model.blocks[0].register_forward_pre_hook(leaf)
    loss = torch.nn.functional.cross_entropy(model(x), y, reduction="sum")
    h.remove()
    return torch.autograd.grad(loss, store[0])[0]


def test_the_2_to_the_n_paths_add_up_to_the_gradient():
    model, (x, y) = _net(), _batch()
    paths = [set(c) for r in range(4) for c in itertools.combinations(range(3), r)]
    assert len(paths) == 2 ** 3
    total = sum(path_gradient(model, x, y, p) for p in paths)
    full = _full_gradient(model, x, y)
    assert torch.allclose(total, full, atol=1e-6 * float(full.abs().max()) + 1e-9)
    assert not torch.allclose(path_gradient(model, x, y, set()), full)   # one path is not the whole


def test_path_gradient_norms_shape_and_model_untouched():
    model, (x, y) = _net(), _batch()
    model.train()
    norms = path_gradient_norms(model, x, y, range(4), samples=2)
    assert set(norms) == {0, 1, 2, 3} and all(v > 0 for v in norms.values())
    assert model.training and all(not b._forward_hooks for b in model.blocks)
    shares = path_contributions(norms, 3)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares[1] == pytest.approx(3 * norms[1] / sum(math.comb(3, k) * g for k, g in norms.items()))


def test_bad_input_is_refused():
    x, y = _batch()
    with pytest.raises(ValueError, match="one path"):
        path_gradient_norms(_net(plain=True), x, y, [0])
    with pytest.raises(ValueError, match="0..3"):
        path_gradient_norms(_net(), x, y, [4])
    with pytest.raises(ValueError, match="zero"):
        path_contributions({0: 0.0}, 1)


def test_checkers_do_not_crash_and_pass_the_solution():
    def stub(jacobians):
        raise NotImplementedError

    assert check_unrolled_sum(stub).status == "todo"
    assert check_unrolled_sum(lambda j: 1 / 0).status == "fail"

    def right(jacobians):
        out = torch.eye(jacobians[0].shape[0], dtype=jacobians[0].dtype)
        for j in jacobians:
            out = (torch.eye(len(j), dtype=j.dtype) + j) @ out
        return out

    assert check_unrolled_sum(right).passed                      # the product form is the same sum

    def wrong_order(jacobians):
        return right(jacobians[::-1])

    wrong = check_unrolled_sum(wrong_order)
    assert wrong.status == "fail" and "later blocks on the left" in wrong.message
    assert check_prediction("p", ..., 0.5, 0.1, "").status == "todo"
    assert check_prediction("p", "lots", 0.5, 0.1, "").status == "fail"
    assert check_prediction("p", 0.55, 0.5, 0.1, "why").passed
    assert "too high" in check_prediction("p", 0.9, 0.5, 0.1, "").message
