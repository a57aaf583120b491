"""Repository-wide pytest hooks.

The per-cell time budget: nbval interrupts a cell that runs past ``--nbval-cell-timeout``, but a
training cell catches that interrupt on purpose (``fit`` keeps the epochs done so far, as Ctrl-C
should in a lecture), so nbval alone could let it pass. Here any notebook cell that ran longer
than the budget fails, whatever it printed.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or type(item).__name__ != "IPyNbCell" or not report.passed:
        return
    limit = float(item.config.getoption("nbval_cell_timeout", 0) or 0)
    if limit and call.duration > limit:
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} took {call.duration:.1f} s, over the budget of "
                           f"{limit:.0f} s per cell (--nbval-cell-timeout)")
