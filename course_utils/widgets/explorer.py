"""The pattern behind every interactive explorer in the course.

An explorer is three plain pieces:

* ``controls``: named ``ipywidgets`` (sliders, dropdowns, ...);
* ``draw(**values) -> Figure``: a pure function of the control values, so it is unit-tested
  without a browser; it raises ``ValueError`` with an explanation for impossible settings;
* ``describe(**values) -> str`` (optional): the status line (a formula with the numbers filled in,
  a warning), shown above the picture.

When a control changes, :meth:`Explorer.redraw` calls both and shows the result; an impossible
setting keeps the last good picture and shows the explanation in red instead of a traceback.
Headless (CI, the static site: ``COURSE_STATIC_WIDGETS=1``) :meth:`Explorer.show` draws the
figure for the current values once, as a static picture.
"""

from __future__ import annotations

import html
import os
from typing import Any, Callable, Mapping

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def static_mode() -> bool:
    """True when widgets should render as static figures (``COURSE_STATIC_WIDGETS=1``)."""
    return os.environ.get("COURSE_STATIC_WIDGETS", "").lower() in ("1", "true", "yes")


class Explorer:
    """Controls + a pure drawing function + a status line, kept in sync.

    Attributes after each redraw: ``figure`` (the last good figure), ``text`` (the status line as
    plain text) and ``error`` (the explanation of an impossible setting, or ``None``).
    """

    def __init__(self, draw: Callable[..., Figure], controls: Mapping[str, Any],
                 describe: Callable[..., str] | None = None, title: str = "") -> None:
        import ipywidgets as w

        self.draw, self.describe, self.title = draw, describe, title
        self.controls = dict(controls)
        self.status = w.HTML()
        self.output = w.Output()
        self.figure: Figure | None = None
        self.text, self.error = "", None
        for control in self.controls.values():
            control.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def set(self, **values: Any) -> "Explorer":
        """Change controls programmatically (as a student would by hand); returns ``self``."""
        for name, value in values.items():
            if name not in self.controls:
                raise KeyError(f"no control named {name!r}; controls are {', '.join(self.controls)}")
            self.controls[name].value = value
        return self

    def redraw(self) -> None:
        """Recompute the picture and the status line from the current values."""
        values = self.values
        try:
            figure = self.draw(**values)
        except ValueError as err:
            self.error = str(err)
            self.text = f"⚠ {err}"
            self.status.value = f'<b style="color:#cf222e">{html.escape(self.text)}</b>'
            return
        self.error = None
        self.text = self.describe(**values) if self.describe else ""
        self.status.value = f"<code>{html.escape(self.text)}</code>".replace("\n", "<br>")
        if self.figure is not None:
            plt.close(self.figure)
        self.figure = figure
        from IPython import get_ipython
        from IPython.display import clear_output, display

        if get_ipython() is not None:  # inside a notebook kernel: draw into the output area
            with self.output:
                clear_output(wait=True)
                display(figure)
        plt.close(figure)

    def widget(self):
        """The assembled interface: title, controls, status line and picture."""
        import ipywidgets as w

        head = [w.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        return w.VBox([*head, w.HBox(list(self.controls.values())), self.status, self.output])

    def show(self) -> None:
        """Display the live widget, or (headless) the status line and a static figure."""
        from IPython.display import display

        if static_mode():
            if self.text:
                print(self.text)
            if self.figure is not None:
                display(self.figure)
        else:
            display(self.widget())
