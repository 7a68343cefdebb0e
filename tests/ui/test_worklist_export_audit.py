"""The window's worklist CSV export records the list's date and guideline profile in its audit
entry, as the command line's `export cases` does (rt19 F9 side note, H-FMT-314).

rt19 F9: the window's export audit detail held only the statuses and the row count, so the
access history could not say which day's list (a window left open past midnight shows the
list of the day it was loaded) or under which profile the medicine columns were read.
"""

from __future__ import annotations

import csv
import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import exports

from .conftest import TODAY


def _export(qtbot, window, monkeypatch, out):
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, title, suggested, flt: out)
    qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)  # Export worklist (CSV)
    qtbot.waitUntil(out.exists)
    [entry] = [e for e in window.context.store.audit() if e.action == "worklist_csv_exported"][-1:]
    return entry


def test_the_export_entry_names_the_lists_date_and_profile(window, qtbot, context, monkeypatch, tmp_path):
    entry = _export(qtbot, window, monkeypatch, tmp_path / "today.csv")
    assert entry.detail["as_of"] == TODAY.isoformat()
    assert entry.detail["profile"] == context.profile()
    with open(tmp_path / "today.csv", encoding="utf-8-sig", newline="") as fh:
        assert entry.detail["rows"] == len(list(csv.reader(fh))) - 1


def test_a_list_still_showing_yesterday_and_another_profile_is_recorded_as_such(
        window, qtbot, context, monkeypatch, tmp_path):
    """The list kept from yesterday (the window left open past midnight) under the uk profile:
    the entry names that date and profile, not today's and the clinic's."""
    view = window.views["worklist"]
    other = "uk" if context.profile() != "uk" else "us"
    view.model.profile = other
    view.model.reload(TODAY - dt.timedelta(days=1))
    entry = _export(qtbot, window, monkeypatch, tmp_path / "yesterday.csv")
    assert entry.detail["as_of"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert entry.detail["profile"] == other
