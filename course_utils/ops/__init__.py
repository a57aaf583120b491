"""Operations written from scratch, with the same tensor layout (NCHW) and semantics as
``torch.nn.functional``, tested against it."""

from .conv import ConvCost, conv2d_fast, conv2d_naive, conv_cost, conv_output_size, im2col
from .pool import avg_pool2d, max_pool2d
from .batchnorm import BatchNorm2d, NoisyBatchNorm2d, batch_norm
from .backward import conv2d_backward, max_pool2d_backward, relu_backward
