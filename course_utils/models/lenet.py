"""LeNet-5, the first convolutional network trained end to end with backpropagation.

LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document recognition",
Proceedings of the IEEE, 1998. The layout is the paper's: ``(conv 5x5 -> pool 2x2) x 2`` then
three fully connected layers (120, 84, classes). Two modern substitutions, as most re-creations
make: ReLU instead of the scaled tanh, and max pooling instead of the trainable sub-sampling.
The input is 1x28x28 (Fashion-MNIST), so the first convolution pads by 2, which is what the
paper's 32x32 input achieved. Notebook 04 (pooling and a whole CNN).

Shapes for one 1x28x28 image::

    conv1 5x5, 6, pad 2 -> 6x28x28 -> pool -> 6x14x14
    conv2 5x5, 16       -> 16x10x10 -> pool -> 16x5x5 -> flatten 400
    fc 120 -> fc 84 -> fc classes
"""

from __future__ import annotations

from torch import Tensor, nn

POOLS = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


class LeNet5(nn.Module):
    """``features`` (the two conv-pool stages) then ``classifier`` (flatten and three dense layers).

    ``forward(x [N, C, 28, 28]) -> logits [N, classes]``. ``features[:k]`` gives the feature maps
    after the first ``k`` layers (notebook 04 shows them by depth).
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1, pool: str = "max",
                 widths: tuple[int, int] = (6, 16)) -> None:
        super().__init__()
        if pool not in POOLS:
            raise ValueError(f"pool must be one of {sorted(POOLS)}, got {pool!r}")
        if num_classes < 1 or in_channels < 1:
            raise ValueError(f"num_classes ({num_classes}) and in_channels ({in_channels}) must be at least 1")
        c1, c2 = widths
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size=5, padding=2), nn.ReLU(), POOLS[pool](2),
            nn.Conv2d(c1, c2, kernel_size=5), nn.ReLU(), POOLS[pool](2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c2 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        if x.dim() != 4 or tuple(x.shape[2:]) != (28, 28):
            raise ValueError(f"LeNet5 expects images [N, C, 28, 28], got shape {tuple(x.shape)}")
        return self.classifier(self.features(x))


def lenet5(num_classes: int = 10, in_channels: int = 1, pool: str = "max") -> LeNet5:
    """LeNet-5 for 28x28 images (61,706 parameters for 1 channel and 10 classes)."""
    return LeNet5(num_classes=num_classes, in_channels=in_channels, pool=pool)
