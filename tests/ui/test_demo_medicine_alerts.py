"""The window opened on the demo cohort shows the medicine features (demo23): before, the demo's
patients took no medicine and a clinician trying it saw "Medicine alerts (0)".

The store is filled by ``app.populate_demo``, the function the window's ``--demo`` folder is made
with (``make_demo_dir``), dated to the window's today so that every intake is on or before it.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from .conftest import TODAY
from .window_steps import demo_store, why_cells

#: the labels the brief asks the demo to show, as the worklist's Why column writes them
LABELS = ("AVOID", "HIGH OPIOID DOSE", "REDUCE DOSE", "CHECK THE DOSE", "REASSESS OPIOID DOSE")


@pytest.fixture
def store(tmp_path):
    with demo_store(tmp_path / "data", 200, TODAY) as s:
        yield s


_why = why_cells


def test_the_demo_window_counts_medicine_alerts_and_lists_every_label(window, qtbot):
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=20000)
    shown = re.fullmatch(r"Medicine alerts \((\d+)\)", view.medicines_button.text())
    assert shown, view.medicines_button.text()
    alerted = int(shown.group(1))
    assert alerted > 0
    # the user presses the filter with the keyboard, as a clinician trying the demo would
    view.medicines_button.setFocus()
    qtbot.keyClick(view.medicines_button, Qt.Key_Space)
    qtbot.waitUntil(lambda: view.medicines_button.isChecked() and not view.model.reading, timeout=20000)
    why = _why(view)
    assert len(why) == alerted  # the figure on the button is the list it opens
    assert all(c.startswith("DEMO-") for c in why)
    text = " ".join(why.values())
    missing = [label for label in LABELS if f"{label}: " not in text]
    assert not missing, missing
    # a patient on a patch is among them, named as the clinician typed it
    assert re.search(r"(fentalis|matrifen|butrans|transtec) \d+", text), text[:400]
