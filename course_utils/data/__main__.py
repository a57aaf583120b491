"""``python -m course_utils.data [--offline]``: make sure Fashion-MNIST is there; print a summary."""

from .fashion_mnist import main

raise SystemExit(main())
