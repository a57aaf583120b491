"""Shortcut options A, B and C trained the same way (notebook 09).

He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, section 3.3 and Table 3:
where a stage doubles the channels and halves the map, the shortcut is either (A) the identity,
subsampled, with zero-filled new channels; (B) a 1x1 projection there and the identity elsewhere;
or (C) a projection on every block. Here a 10-layer :class:`~course_utils.models.resnet.ResNet`
(one basic block per stage) is trained with each option on the same Fashion-MNIST batches.
"""

from __future__ import annotations

from ..data import fashion_mnist_loaders
from ..models.resnet import BasicBlock, ResNet
from ..runtime import by_profile, device, seed_everything
from ..train import fit

OPTIONS = ("A", "B", "C")


def shortcut_sizes(profile: str | None = None) -> dict[str, int]:
    """Training images, test images, epochs and batch size per profile."""
    return by_profile(ci=dict(train=4000, test=1000, epochs=1, batch=32),
                      default=dict(train=12000, test=5000, epochs=2, batch=64),
                      full=dict(train=60000, test=10000, epochs=10, batch=128), profile=profile)


def small_resnet(shortcut: str) -> ResNet:
    """A 10-layer ResNet for 28x28 grey images (one basic block per stage, widths 8-64), seed 0."""
    seed_everything(0)
    return ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10, in_channels=1, width=8,
                  shortcut=shortcut, small_input=True)


def shortcut_options(profile: str | None = None) -> dict:
    """Train :func:`small_resnet` with each option; JSON-ready numbers.

    Returns ``{"sizes": {...}, "A": {"params": n, "test_error": e, "history": {...}}, "B": ...,
    "C": ...}`` (errors as fractions; SGD, learning rate 0.05, the same batches for every option).
    """
    sizes = shortcut_sizes(profile)
    train, test = fashion_mnist_loaders(sizes["batch"], train_limit=sizes["train"], test_limit=sizes["test"])
    out: dict = {"sizes": sizes}
    for kind in OPTIONS:
        model = small_resnet(kind)
        train.generator.manual_seed(0)  # the same batches, in the same order, for every option
        history = fit(model, train, test, epochs=sizes["epochs"], lr=0.05, device=device(),
                      label=f"option {kind}")
        out[kind] = {"params": sum(p.numel() for p in model.parameters()),
                     "test_error": history.test_error[-1], "history": history.to_dict()}
    return out
