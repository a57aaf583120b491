"""The course's networks, one module per family, built as their papers describe them.

One residual block vocabulary for every ResNet (``conv1``, ``bn1``, ``conv2``, ``bn2``,
``shortcut``): :mod:`.resnet` defines the blocks, :mod:`.cifar_resnet` builds the CIFAR-style
networks of the paper's section 4.2 from the same :class:`BasicBlock`. :mod:`.plain` holds the
deep plain networks of notebooks 08-09 and :mod:`.init` the Xavier and He initialisations.
"""

from .alexnet import AlexNet, alexnet, small_alexnet
from .cifar_resnet import CifarResNet, cifar_resnet
from .googlenet import GoogLeNet, Inception, googlenet, small_googlenet
from .init import INITS, init_weights_
from .lenet import lenet5
from .plain import conv_net, relu_mlp
from .resnet import (BasicBlock, Bottleneck, PreActBlock, ResNet, resnet18, resnet34, resnet50, resnet101,
                     resnet152, small_resnet)
from .vgg import VGG, small_vgg, vgg, vgg11, vgg13, vgg16, vgg19
