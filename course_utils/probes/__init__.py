"""Measurements taken *on* a network, not by training it: the course's probes.

=================  ===========================================================================
``network``        gradient norms per layer, activations and their statistics, signal scales
``drift``          how activations move during a few training steps (notebook 08)
``shift``          how much a small shift changes a representation (notebooks 01 and 04)
``residual``       ``||F(x)|| / ||x||`` of every residual block (notebook 11)
``deletion``       deleting blocks of a trained network at test time (notebook 11)
=================  ===========================================================================
"""

from .deletion import blocks_deleted, multi_deletion_errors, single_deletion_errors
from .drift import train_steps
from .network import activation_stats, activations, gradient_norms, signal_scales
from .residual import residual_ratios
from .shift import conv_pool_features, edge_kernels, flatten_pixels, shift_images, shift_similarity

__all__ = ["activation_stats", "activations", "blocks_deleted", "conv_pool_features", "edge_kernels",
           "flatten_pixels", "gradient_norms", "multi_deletion_errors", "residual_ratios", "shift_images",
           "shift_similarity", "signal_scales", "single_deletion_errors", "train_steps"]
