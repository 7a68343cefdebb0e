"""path34 in the window, as a clinician reads it (tryout33 F5, F6, F7 and the cut-off status):

* an emergency (cauda equina) whose patient said "would not consider surgery" reads "Immediate" on
  the worklist, with no "would not consider" and no advice to record "patient declined" in its
  tooltip; the same answer on a routine due case still reads "Due; would not consider surgery";
* a referred patient with a new emergency red flag: the case page's monitoring is headed "Monitoring:
  red flag first" and never "Monitoring while awaiting the surgical opinion";
* after a referral recorded by keys, Print handout... has no next visit filled in, says why, and
  prints with the field left empty (a date typed is still taken);
* at 1366x768 the Status column shows "Due; would not consider surgery" whole (window35: "Due", and
  "No surgery" in the "Patient wish" column beside it, both whole)."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .keyboard import type_here
from .window_steps import record_referral_by_keys


def _add(context, c: dict) -> None:
    context.store.import_cases([parse_case(c)], user="test")


def _visit(days_ago: int, **more) -> dict:
    return {"date": (TODAY - dt.timedelta(days=days_ago)).isoformat(), "leg_nrs": 7, "back_nrs": 4,
            "odi_percent": 42, **more}


def _rows(qtbot, view, *case_ids) -> dict[str, int]:
    view.refresh()
    qtbot.waitUntil(lambda: set(case_ids) <= {r.case_id for r in view.model.rows}, timeout=5000)
    return {view.model.rows[r].case_id: r for r in range(view.model.rowCount())}


def test_an_emergency_is_never_marked_would_not_consider_on_the_worklist(window, qtbot, context):
    _add(context, dict(case_dict("P-EMN", "Ema Emergency", 60, visits=[_visit(5), _visit(1, red_flags={
        "saddle_anaesthesia": "yes"})]), would_consider_intervention="no"))
    _add(context, dict(case_dict("P-URN", "Uma Urgent", 60, visits=[_visit(5, red_flags={
        "progressive_neurological_deficit": "yes"})]), would_consider_intervention="no"))
    _add(context, dict(case_dict("P-DNO", "Dov Due", 60, visits=[_visit(5)]), would_consider_intervention="no"))
    view = window.views["worklist"]
    row = _rows(qtbot, view, "P-EMN-case", "P-URN-case", "P-DNO-case")
    for case_id in ("P-EMN-case", "P-URN-case"):
        status = view.model.index(row[case_id], 0)
        assert view.model.data(status) == "Immediate"
        tip = view.model.data(status, Qt.ToolTipRole)
        assert tip.startswith("Red flag: ")
        assert "would not consider" not in tip and "declined" not in tip
        assert view.model.data(view.model.index(row[case_id], 1)) == ""  # window35: its own column, empty
    due = view.model.index(row["P-DNO-case"], 0)
    assert view.model.data(due) == "Due"  # window35: the wish in its own column beside it
    assert view.model.data(view.model.index(row["P-DNO-case"], 1)) == "No surgery"
    assert 'record the decision "patient declined"' in view.model.data(due, Qt.ToolTipRole)


def test_at_1366_by_768_the_status_column_shows_the_whole_status(window, qtbot, context):
    window.resize(1366, 768)
    _add(context, dict(case_dict("P-DNO", "Dov Due", 60, visits=[_visit(5)]), would_consider_intervention="no"))
    view = window.views["worklist"]
    window.show_view("worklist")
    row = _rows(qtbot, view, "P-DNO-case", "P-DUE-case")
    # window35: "Due" and, in its own column, "No surgery" (was "Due; would not consider surgery")
    text = view.model.data(view.model.index(row["P-DNO-case"], 0))
    wish = view.model.data(view.model.index(row["P-DNO-case"], 1))
    assert (text, wish) == ("Due", "No surgery")
    fm = view.table.fontMetrics()
    assert view.table.columnWidth(0) >= fm.horizontalAdvance(text)
    assert view.table.columnWidth(1) >= fm.horizontalAdvance(wish)
    # the Why column (stretched last) keeps room to be read
    why = view.model.columnCount() - 1
    assert view.model.headerData(why, Qt.Horizontal) == "Why"
    assert view.table.columnWidth(why) >= fm.horizontalAdvance("Red flag: suspected cauda equina")


def test_a_red_flag_after_a_referral_leads_the_case_pages_monitoring(window, qtbot, context):
    referred = (TODAY - dt.timedelta(days=10)).isoformat()
    _add(context, case_dict("P-RRF", "Rhea Referred", 70,
                            visits=[_visit(20), _visit(2, red_flags={"urinary_retention_or_incontinence": "yes"})],
                            decisions=[{"date": referred, "kind": "referred_for_surgical_opinion", "by": "Dr Ames"}]))
    window.open_case("P-RRF-case")
    text = re.sub(r"\s+", " ", window.patient_view.pathway.toPlainText())
    assert "Monitoring: red flag first" in text
    assert ("Now: Red flag (EMERGENCY - act now): act on the red flag first, as the urgency at the top says; the "
            "referral for a surgical opinion does not replace or delay that action.") in text
    assert "Monitoring while awaiting the surgical opinion" not in text
    assert "No routine next visit; if worse" not in text


def test_after_a_referral_the_handout_dialog_has_no_next_visit_filled_in(window, qtbot, context, monkeypatch):
    from radiculopathy_desktop.ui import exports
    window.open_case("P-DUE-case")
    before = window.print_handout()
    qtbot.waitExposed(before)
    assert before.next_visit.day() is not None and before.awaiting_note is None  # routine: a date as before
    before.close()
    record_referral_by_keys(window, qtbot, "P-DUE-case")
    qtbot.waitUntil(lambda: "closed" in window.patient_view.status.text().lower())
    handout = window.print_handout()
    qtbot.waitExposed(handout)
    handout.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is handout)
    assert handout.next_visit.text() == ""  # no routine visit made up
    assert handout.awaiting_note.isVisible()
    assert handout.awaiting_note.text().startswith(
        f"Referred for a surgical opinion on {TODAY.strftime('%-d %b %Y')}: no routine visit is booked.")
    asked = []
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: asked.append(a) or None)
    qtbot.keyClick(handout.pdf_button, Qt.Key_Space)
    assert len(asked) == 1  # left empty, it goes on to saving
    req = handout.request()
    assert req.next_follow_up_date is None and req.awaiting_opinion == TODAY
    booked = TODAY + dt.timedelta(days=9)
    handout.next_visit.setFocus()
    type_here(qtbot, booked.isoformat())  # a visit the clinician booked is printed
    qtbot.keyClick(handout.pdf_button, Qt.Key_Space)
    assert len(asked) == 2
    assert handout.request().next_follow_up_date == booked and handout.request().awaiting_opinion is None
    handout.close()
