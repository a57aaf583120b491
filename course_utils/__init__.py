"""course_utils: the tested code behind the CNN course's notebooks.

One concept per module, read by students:

=====================  =====================================================================
``runtime``            profiles (``COURSE_PROFILE``), device, seeding: ``setup()``
``data``               Fashion-MNIST (cache / Debian / verified download), loaders, real photos
``train``              ``fit`` and ``evaluate``: the training engine, with a per-epoch ``History``
``paths``              where the data set and the results live (``data_dir``, ``results_dir``)
``results``            stored results with settings and provenance, and trained weights
``files``              atomic writes (``atomic_write``) for caches, results and weights
``viz``                image grids, feature maps, training curves
``widgets``            interactive explorers (``Explorer``) that also draw statically in CI
``checks``             exercise checkers: a tick or a specific hint, never a traceback
``ops``                convolution, pooling, batch norm written from scratch
``complexity``         parameters and multiply-accumulates (MACs) per layer
``models``             the networks of the course, one module per family
``probes``             measurements on a network: gradients, activations, shifts, deleted blocks
``experiments``        the measured experiments, one module each, and ``replay``, the lecture switch
``detection``          boxes, IoU, NMS, RoI pooling, anchors, AP and the R-CNN family
=====================  =====================================================================
"""

__version__ = "0.1.0"
