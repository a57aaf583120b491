"""The course's networks, one module per family, built as their papers describe them."""
