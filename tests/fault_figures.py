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
