"""Repository-wide pytest hooks.

The per-cell time budget: nbval interrupts a cell that runs past ``--nbval-cell-timeout``, but a
training cell catches that interrupt on purpose (``fit`` keeps the epochs done so far, as Ctrl-C
should in a lecture), so nbval alone could let it pass. Here any notebook cell that ran longer
than the budget fails, whatever it printed.

Run twice: every notebook's cells run again in the same kernel after the first Run All (below).
The slowest cells are listed at the end of a run (below).
"""

from __future__ import annotations

import os

import itertools

import pytest
from nbval.plugin import IPyNbCell


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not isinstance(item, IPyNbCell):
        return
    limit = float(item.config.getoption("nbval_cell_timeout", 0) or 0)
    if report.passed and limit and call.duration > limit:
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} took {call.duration:.1f} s, over the budget of "
                           f"{limit:.0f} s per cell (--nbval-cell-timeout)")
    if report.failed and not isinstance(item, RerunCell):
        item.parent.first_run_failed = True  # then its second run is skipped (see RerunCell)


# --------------------------------------------------------------------------- run every notebook twice
# An instructor re-runs a section, or Run All again, in the same kernel, so every notebook must pass a
# second Run All without a restart (issue 19): a cell that appends to a list it made, deletes a name,
# or asserts on a model it assumes is fresh fails there. nbval runs a notebook's cells as items that
# share one kernel; each notebook's cells are queued again right after it ("Cell 7 (run 2)"), in that
# kernel, with the same per-cell timeout and budget. `--notebook-runs=1` runs each notebook once.

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--notebook-runs", type=int, default=2, metavar="N",
                     help="Run All each notebook N times in one kernel (default 2; 1 for a quick check)")


class RerunCell(IPyNbCell):
    """A notebook cell run again after the whole notebook has run, in the same kernel."""

    def __init__(self, *, run: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.run = run

    def setup(self) -> None:
        if getattr(self.parent, "first_run_failed", False):
            pytest.skip("the notebook failed before its second run: fix that first")
        super().setup()

    def reportinfo(self):
        return self.fspath, 0, f"Cell {self.cell_num} (run {self.run})"

    def repr_failure(self, excinfo) -> str:
        return (f"Failed in Run All number {self.run} of {self.parent.name}, in the same kernel as the first "
                f"(which passed):\n" + str(super().repr_failure(excinfo)))


@pytest.hookimpl(trylast=True)  # after -k and --deselect have chosen the cells
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ordered: list[pytest.Item] = []
    for _, group in itertools.groupby(items, key=lambda item: item.parent):
        cells = list(group)
        ordered += cells
        if isinstance(cells[0], IPyNbCell):
            for run in range(2, config.getoption("notebook_runs") + 1):
                ordered += [RerunCell.from_parent(c.parent, name=f"{c.name} (run {run})", cell_num=c.cell_num,
                                                  cell=c.cell, options=c.options, run=run) for c in cells]
    items[:] = ordered


# --------------------------------------------------------------------------- the slowest cells
# Every CI cell should take at most a third of its budget on an idle 2-core machine, so that a busy
# machine still passes (issue 19). The summary lists the slowest cells, marks those over that, and
# gives the CPU time of the kernel for each: with one thread per kernel (as `make test` runs) that
# is about what the cell takes on an idle machine, even when the run itself shared the cores.

def _kernel_cpu_seconds(cell: IPyNbCell) -> float | None:
    """CPU seconds used so far by the kernel running ``cell``'s notebook (None where unknown)."""
    try:
        import psutil

        times = psutil.Process(cell.parent.kernel.km.provisioner.process.pid).cpu_times()
        return times.user + times.system + times.children_user + times.children_system
    except Exception:  # no kernel yet, another kernel provisioner, no psutil: no CPU column
        return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    before = _kernel_cpu_seconds(item) if isinstance(item, IPyNbCell) else None
    yield
    after = _kernel_cpu_seconds(item) if before is not None else None
    if after is not None:
        item.user_properties.append(("cpu_seconds", after - before))


_cell_seconds: dict[str, tuple[float, float | None]] = {}  # node id -> (wall, CPU) seconds


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and ".ipynb::Cell " in report.nodeid:  # on the xdist controller too
        _cell_seconds[report.nodeid] = (report.duration, dict(report.user_properties).get("cpu_seconds"))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if not _cell_seconds:
        return
    budget = float(config.getoption("nbval_cell_timeout", 0) or 0)
    headroom = budget / 3
    slowest = sorted(_cell_seconds.items(), key=lambda kv: -kv[1][0])
    over = [name for name, (wall, _) in slowest if budget and wall > headroom]
    terminalreporter.write_sep("=", f"slowest notebook cells (budget {budget:.0f} s a cell, headroom target "
                                    f"{headroom:.0f} s; CPU: the kernel's)" if budget else "slowest notebook cells")
    for name, (wall, cpu) in slowest[:max(10, len(over))]:
        cpu_text = f"{cpu:6.1f} s CPU" if cpu is not None else " " * 12
        terminalreporter.write_line(f"{wall:7.1f} s {cpu_text}  {name}"
                                    + ("  over the headroom target" if name in over else ""))
    if budget:
        terminalreporter.write_line(f"{len(over)} of {len(slowest)} cells over {headroom:.0f} s")
    promise = os.environ.get("LECTURE_BUDGET_S")  # make test-lecture: the default profile's 5 s a cell
    if promise:
        late = [f"{wall:.1f} s {name}" for name, (wall, _) in slowest if wall > float(promise)]
        terminalreporter.write_line(f"lecture promise: {len(late)} of {len(slowest)} cells over {promise} s"
                                    + "".join(f"\n  {line}" for line in late))
