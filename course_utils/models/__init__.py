"""The course's networks, one module per family, built as their papers describe them.

The CIFAR-style ResNet's blocks live in :mod:`.cifar_resnet` (``from course_utils.models.cifar_resnet
import BasicBlock``); ``BasicBlock`` here is the ImageNet ResNet's.
"""

from .alexnet import AlexNet, alexnet, small_alexnet
from .cifar_resnet import cifar_resnet
from .googlenet import GoogLeNet, Inception, googlenet, small_googlenet
from .lenet import lenet5
from .resnet import (BasicBlock, Bottleneck, PreActBlock, ResNet, resnet18, resnet34, resnet50, resnet101,
                     resnet152)
from .vgg import VGG, small_vgg, vgg, vgg11, vgg13, vgg16, vgg19
