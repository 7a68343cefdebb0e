"""Figures from the fault tests (writes attempted / reported / found, kills survived...).

A fault test calls :func:`record` with what it measured. When the environment variable
``RADICULOPATHY_FAULT_FIGURES`` names a JSON file, the figures are merged into it (one
entry per test, replaced on each run); otherwise nothing is written. ``tests/fault_table.py``
renders the README's fault table from that file, so the table is never typed by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIGURES_ENV = "RADICULOPATHY_FAULT_FIGURES"


def record(test: str, **figures: int) -> None:
    target = os.environ.get(FIGURES_ENV)
    if not target:
        return
    path = Path(target)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[test] = {k: int(v) for k, v in figures.items()}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class Tally:
    """Figures added up by the tests of one module as they run, recorded once at its end.

    Each test calls :meth:`add` after its assertions passed, with how many faults or bad
    inputs it actually tried; a module fixture calls :meth:`record`. The figures are what
    ran, so a test removed or skipped is not counted.
    """

    def __init__(self, test: str):
        self.test = test
        self.counts: dict[str, int] = {}

    def add(self, **figures: int) -> None:
        for k, v in figures.items():
            self.counts[k] = self.counts.get(k, 0) + int(v)

    def record(self) -> None:
        if self.counts:
            record(self.test, **self.counts)


def recorded_at_module_end(tally: Tally):
    """The module-scoped autouse fixture that records ``tally`` once the module's tests have
    run; a fault test module binds it to a name, so pytest finds it:
    ``_record_fault_figures = fault_figures.recorded_at_module_end(TALLY)``."""
    import pytest

    @pytest.fixture(scope="module", autouse=True)
    def _record_fault_figures():
        yield
        tally.record()

    return _record_fault_figures
