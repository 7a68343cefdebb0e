"""redsheet35 (H-UI-542, H-UI-543): Print handout... under an emergency or urgent red flag with no
referral recorded starts with no next follow-up date and says why, as after a referral (path34).

The primary source is the red-flag rules (resources/rules/red_flags.toml), as for window35's
assessment (H-FU-913, tests/domain/test_red_flag_no_next_visit_window35.py): every emergency action is
for now ("do not wait for the next visit", GIRFT National Suspected CES Pathway 2023; "immediately, now,
not at the next visit", NICE NG234) and every urgent one for the same day (same-day referral or
assessment, Manchester spinal pathway / ACP 2011). The dialog filled "Next follow-up" with the routine
date anyway, so a routine sheet ticked by hand printed "Your next visit is on ..." after "Go to the
emergency department now". Boundaries: emergency, urgent on both sides of the infection rule's
escalation, routine (none; cauda equina questions unanswered: routine tier, the date stays), each as
the assessment decides it; with a referral recorded path34's note stands; a date typed on purpose is
printed. The PDF is read in English and Spanish."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handouts
from radiculopathy_desktop.reports.common import long_date

from helpers.pdf_text import pdf_words

from .conftest import TODAY, case_dict
from .keyboard import type_here
from .test_exports import save_to  # noqa: F401 (a fixture)

#: answers at the latest visit -> the triage tier the assessment gives (its next visit None for a red flag)
FLAGS = {
    "emergency (cauda equina)": ({"saddle_anaesthesia": "yes"}, "emergency"),
    "urgent (progressive deficit)": ({"progressive_neurological_deficit": "yes"}, "urgent"),
    "urgent (fever, no deficit)": ({"fever": "yes"}, "urgent"),
    "none": ({}, "routine"),
    "cauda equina questions unanswered": ({"saddle_anaesthesia": "unknown"}, "routine"),
}
NEXT_VISIT = {"en": "Your next visit is on", "es": "Su próxima cita es el"}
NO_VISIT = {"en": "No routine visit is booked here yet", "es": "Todavía no tiene una cita de control aquí"}
LEAD = {"emergency": {"en": "Go to the emergency department now"}, "urgent": {}}


def _visit(days_ago: int, **more) -> dict:
    return {"date": (TODAY - dt.timedelta(days=days_ago)).isoformat(), "leg_nrs": 7, "back_nrs": 4,
            "odi_percent": 42, **more}


def _add(context, pid: str, flags: dict, decisions=()) -> str:
    c = case_dict(pid, "Rita Redflag", 70, visits=[_visit(20), _visit(1, red_flags=flags)], decisions=decisions)
    context.store.import_cases([parse_case(c)], user="test")
    return f"{pid}-case"


def _active(qtbot, dialog) -> None:
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def _tick_by_keys(qtbot, dialog, sheet_id: str) -> None:
    """Tick a sheet as a user does: the list focused, arrows down to it, Space."""
    ids = [dialog.sheets.item(i).data(Qt.UserRole) for i in range(dialog.sheets.count())]
    dialog.sheets.setFocus()
    qtbot.keyClick(dialog.sheets, Qt.Key_Home)
    for _ in range(ids.index(sheet_id)):
        qtbot.keyClick(dialog.sheets, Qt.Key_Down)
    assert dialog.sheets.currentItem().data(Qt.UserRole) == sheet_id
    if dialog.sheets.currentItem().checkState() != Qt.Checked:
        qtbot.keyClick(dialog.sheets, Qt.Key_Space)
    assert dialog.sheets.currentItem().checkState() == Qt.Checked


def _read_whole(label) -> None:
    """The note is shown whole: as tall as its wrapped text at its width (it was cut to one line)."""
    assert label.isVisible()
    assert label.height() >= label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing() * 2


def _pdf(dialog, tmp_path, name: str) -> str:
    req = dialog.request(confirm_unrecognised=True)
    out = tmp_path / f"{name}.pdf"
    handouts.write_handout_pdf(req, out)
    return pdf_words(out)


@pytest.mark.parametrize("label", list(FLAGS))
def test_under_a_red_flag_the_dialog_books_no_visit_and_the_sheets_print_none(window, qtbot, context, monkeypatch,
                                                                              tmp_path, label):
    from radiculopathy_desktop.ui import exports
    flags, tier = FLAGS[label]
    case_id = _add(context, "P-RF", flags)
    assessed = assess_case(context.store.get_case(case_id), TODAY, context.profile())
    assert assessed.triage.tier.value == tier
    window.open_case(case_id)
    dialog = window.print_handout()
    _active(qtbot, dialog)
    asked = []
    monkeypatch.setattr(exports, "ask_save_path", lambda *a, **k: asked.append(a) or None)
    if tier == "routine":  # the routine visit as before, as the assessment suggests one
        assert assessed.next_visit is not None
        assert dialog.next_visit.day() is not None and dialog.next_visit.day() >= TODAY
        assert dialog.awaiting_note is None
        dialog.close()
        return
    assert assessed.next_visit is None  # the assessment (window35) and the dialog agree
    assert dialog.next_visit.text() == ""  # no routine visit made up
    assert dialog.awaiting_note.isVisible()
    assert dialog.awaiting_note.text().startswith(f"{tier.upper()} red flag (")
    assert "no routine visit is booked; act on the red flag now" in dialog.awaiting_note.text()
    assert "surgical opinion" not in dialog.awaiting_note.text()  # no referral was recorded
    _read_whole(dialog.awaiting_note)
    # the clinician ticks a routine sheet with a next-visit section by hand
    _tick_by_keys(qtbot, dialog, "follow_up")
    qtbot.keyClick(dialog.pdf_button, Qt.Key_Space)
    assert len(asked) == 1  # left empty, it goes on to saving
    req = dialog.request(confirm_unrecognised=True)
    assert req.next_follow_up_date is None and req.awaiting_opinion is None
    for lang in ("en", "es"):
        dialog.lang.setFocus()
        qtbot.keyClick(dialog.lang, Qt.Key_Home if lang == "en" else Qt.Key_End)
        assert dialog.lang.currentData() == lang
        if "follow_up" not in dialog.selected_sheets():
            _tick_by_keys(qtbot, dialog, "follow_up")
        text = _pdf(dialog, tmp_path, f"{label}-{lang}")
        assert NEXT_VISIT[lang] not in text
        assert NO_VISIT[lang] in text
        lead = LEAD[tier].get(lang)
        if lead:
            assert text.index(lead) < text.index(NO_VISIT[lang])
    # a visit the clinician booked on purpose is printed
    booked = TODAY + dt.timedelta(days=1)
    dialog.next_visit.setFocus()
    type_here(qtbot, booked.isoformat())
    qtbot.keyClick(dialog.pdf_button, Qt.Key_Space)
    assert len(asked) == 2
    assert dialog.request(confirm_unrecognised=True).next_follow_up_date == booked
    text = _pdf(dialog, tmp_path, f"{label}-booked")
    assert f"{NEXT_VISIT['es']} {long_date(booked, 'es')}" in text and NO_VISIT["es"] not in text
    dialog.close()


def test_with_a_referral_the_red_flag_keeps_path34s_note(window, qtbot, context):
    referred = (TODAY - dt.timedelta(days=10)).isoformat()
    case_id = _add(context, "P-RR", {"saddle_anaesthesia": "yes"}, decisions=[
        {"date": referred, "kind": "referred_for_surgical_opinion", "by": "Dr Ames"}])
    window.open_case(case_id)
    dialog = window.print_handout()
    _active(qtbot, dialog)
    assert dialog.next_visit.text() == ""
    assert dialog.awaiting_note.text().startswith("Referred for a surgical opinion on ")
    _read_whole(dialog.awaiting_note)  # path34's note was cut to one line by the form
    req = dialog.request(confirm_unrecognised=True)
    assert req.next_follow_up_date is None and req.awaiting_opinion is not None
    assert handouts.red_flag_no_visit_notice(req) is None and handouts.awaiting_opinion_notice(req)
    dialog.close()


def test_a_red_flag_saved_elsewhere_while_open_takes_the_routine_date_out(window, qtbot):
    """The dialog opened on a routine case (its routine date filled in); another program saves a cauda
    equina visit: the watch rebuilds the list and the routine date goes, said why; a date the clinician
    typed is never taken out; the red flag answered no again fills the routine date into the empty field."""
    from .test_dialogs_follow_red_flags import _add_ces_elsewhere, _items
    from .test_exports import _handout_dialog
    from .test_local_live import WAIT_MS, _ready
    _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    routine = dialog.next_visit.day()
    assert routine is not None and dialog.awaiting_note is None
    _add_ces_elsewhere(window.context)
    qtbot.waitUntil(lambda: "emergency_now" in _items(dialog), timeout=WAIT_MS)
    assert dialog.next_visit.text() == ""
    assert dialog.awaiting_note.isVisible() and dialog.awaiting_note.text().startswith("EMERGENCY red flag (")
    req = dialog.request(confirm_unrecognised=True)
    assert req.next_follow_up_date is None and handouts.red_flag_no_visit_notice(req)
    from radiculopathy_desktop.domain.intake import FollowUpVisit

    from .test_local_live import CES, _other
    with _other(window.context) as other:  # re-screened at a visit: every CES question answered no
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=4, red_flags={q: "no" for q in CES}),
                        user="Dr Cli")
    qtbot.waitUntil(lambda: "emergency_now" not in _items(dialog), timeout=WAIT_MS)
    assert dialog.next_visit.day() is not None and dialog.next_visit.day() >= TODAY
    assert not dialog.awaiting_note.isVisible()
    dialog.close()


def test_a_typed_date_is_kept_when_a_red_flag_is_found_at_save(window, qtbot, save_to, tmp_path):
    from .test_dialogs_follow_red_flags import _handout_dialog_unwatched_then_ces_elsewhere
    dialog = _handout_dialog_unwatched_then_ces_elsewhere(qtbot, window)
    booked = TODAY + dt.timedelta(days=3)
    _active(qtbot, dialog)
    dialog.next_visit.setFocus()
    qtbot.waitUntil(lambda: dialog.next_visit.hasFocus())
    type_here(qtbot, booked.isoformat())  # typed on purpose before the save found the red flag
    assert dialog.next_visit.day() == booked
    stale = tmp_path / "stale.pdf"
    save_to(stale)
    assert dialog.save_pdf() is None and not stale.exists()  # the red flag found: nothing printed
    assert dialog.next_visit.day() == booked, dialog.next_visit.text()  # kept: the clinician typed it
    assert dialog.awaiting_note.isVisible()
    dialog.close()
