"""The Patients list shows IDs that differ only in capitals as one patient (ep17 left open;
id18, H-FU-283).

Patient IDs are stored as typed, and the one-open-case rule compares them by
``domain.episodes.patient_key`` (``P-Mia`` is ``p-mia`` is ``P-MİA``). The list still showed
each spelling as a separate patient (and on SQLite a search for the non-ASCII spelling missed
the others: ``LIKE`` folds ASCII capitals only). Now the store also returns every stored ID
with a matched ID's key, and the list groups them: each case keeps the ID as typed, the ID
column says which spellings are one patient, and the line under the list counts patients.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict


def _add(context, pid, case_id, days_ago, name="Mia Example"):
    d = case_dict(pid, name, days_ago)
    d["case_id"] = case_id
    d["onset_date"] = (TODAY - dt.timedelta(days=days_ago + 7)).isoformat()
    context.store.import_cases([parse_case(d)], user="older data")  # no open-case question: older data


def _search(qtbot, window, text):
    view = window.show_view("patients")
    view.search_box.setFocus()
    view.search_box.selectAll()
    for ch in text:  # beyond ASCII as the key events a keyboard layout gives (keyClicks takes ASCII only)
        if ch.isascii():
            qtbot.keyClicks(view.search_box, ch)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(view.search_box, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))
    assert view.search_box.text() == text
    qtbot.keyClick(view.search_box, Qt.Key_Return)  # searches at once (no timer waited for)
    return view


def _rows(view) -> list[tuple[str, ...]]:
    return [tuple(view.table.item(r, c).text() for c in range(5)) for r in range(view.table.rowCount())]


def test_ids_differing_only_in_capitals_are_one_patient_with_each_id_as_typed(window, qtbot, context):
    _add(context, "Mia-2", "MIA-A", 60)
    _add(context, "mia-2", "MIA-B", 30)
    _add(context, "MIA-2", "MIA-C", 10)
    _add(context, "Mia-20", "MIA-X", 5, name="Mia Other")  # another patient (another ID)
    view = _search(qtbot, window, "mia-2")
    rows = _rows(view)
    ours = [r for r in rows if r[4] in ("MIA-A", "MIA-B", "MIA-C")]
    by_case = {r[4]: r[1] for r in ours}
    assert by_case["MIA-A"].startswith("Mia-2 (one patient with ")
    assert by_case["MIA-B"].startswith("mia-2 (one patient with ")
    assert by_case["MIA-C"].startswith("MIA-2 (one patient with ")
    for case_id, shown in by_case.items():  # each row names the other two spellings, never its own twice
        assert sorted(shown.split(" (one patient with ")[1].rstrip(")").split(", ") + [shown.split(" ")[0]]) \
            == ["MIA-2", "Mia-2", "mia-2"]
    positions = sorted(rows.index(r) for r in ours)
    assert positions == list(range(positions[0], positions[0] + 3))  # together, not split by another patient
    other = next(r for r in rows if r[4] == "MIA-X")
    assert other[1] == "Mia-20"  # not one patient with them
    assert view.hint.text().startswith("4 matches (2 patients).")
    tip = view.table.item(rows.index(ours[0]), 1).toolTip()
    assert "differ only in capitals: one patient" in tip


def test_a_turkish_capital_i_and_a_non_ascii_spelling_are_found_and_grouped(window, qtbot, context):
    """SQLite's LIKE folds ASCII capitals only: a search for 'pid-ñ' missed 'PİD-Ñ'; the key finds it."""
    _add(context, "pid-ñ", "TR-A", 40, name="Alex Example")
    _add(context, "PİD-Ñ", "TR-B", 20, name="Alex Example")
    view = _search(qtbot, window, "pid-ñ")
    by_case = {r[4]: r[1] for r in _rows(view)}
    assert by_case == {"TR-A": "pid-ñ (one patient with PİD-Ñ)", "TR-B": "PİD-Ñ (one patient with pid-ñ)"}
    assert view.hint.text().startswith("2 matches (1 patient).")


def test_one_spelling_shows_as_before(window, qtbot, context):
    """Boundary: a patient with one ID reads as it did (no note, no tooltip)."""
    view = _search(qtbot, window, "P-NFU")
    (row,) = [r for r in _rows(view) if r[4] == "P-NFU-case"]
    assert row[1] == "P-NFU"
    assert view.table.item(0, 1).toolTip() == ""
    assert view.hint.text().startswith("1 match (1 patient).")


def test_grouping_keeps_accents_apart():
    from radiculopathy_desktop.storage.store import PatientMatch
    from radiculopathy_desktop.ui.patients import patient_groups

    matches = [PatientMatch(p, "X", None, 40, "female", (f"C-{n}",))
               for n, p in enumerate(["JOSÉ-1", "jose-1", "josé-1", "JOSE-1"])]
    assert [[m.patient_id for m in g] for g in patient_groups(matches)] == [["JOSÉ-1", "josé-1"], ["jose-1", "JOSE-1"]]
