"""Interactive explorers. The pattern is in :mod:`course_utils.widgets.explorer`; each notebook's
explorers live in a module named after its topic (e.g. ``course_utils.widgets.conv``)."""

from .explorer import Explorer, static_mode

__all__ = ["Explorer", "static_mode"]
