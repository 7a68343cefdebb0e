"""Dialogs open while another program saves a red flag for their patient (red-team rt9 F8, F5).

The handout dialog and the decision dialog hold the case as it was when they opened.
When the window's watch reloads the open patient (a command, a script, another
workstation), both take the case read again: the handout's sheet list is built again
for the standing red flags (the emergency sheet added, ticked and fixed, the routine
sheets unticked) and says what changed; the decision dialog shows the red-flag warning.
When the watch has not looked yet, the print / Save reads the flags again from the
store: a difference prints or saves nothing, updates the dialog and says why. The other
program is a second connection to the same file (as tests/ui/test_local_live.py), or
another clinician's connection to the clinic server. Waits are qtbot.waitUntil with a
generous bound: no timing is asserted."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.ui import exports

from .conftest import TODAY
from .test_clinic_server_live import server_store, server_window  # noqa: F401 (fixtures)
from .test_exports import _handout_dialog, _pdf_text, save_to  # noqa: F401 (a fixture)
from .test_local_live import CES, IMMEDIATE, WAIT_MS, _other, _ready, _shown_status
from .window_steps import open_decision_dialog

NO_CES = {"saddle_anaesthesia": "no"}  # P-RED's one flag answered again, no


def _items(dialog) -> dict:
    return {dialog.sheets.item(i).data(Qt.UserRole): dialog.sheets.item(i) for i in range(dialog.sheets.count())}


def _add_ces_elsewhere(context, case_id="P-DUE-case"):
    """Another program saves a visit with saddle anaesthesia and urinary retention (suspected
    cauda equina syndrome: NICE NG59 1.1.1 and the cauda equina pathway, emergency assessment)."""
    with _other(context) as other:
        other.add_visit(case_id, FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Cli")


def _text(path) -> str:
    return unicodedata.normalize("NFKC", _pdf_text(path)[0])


def _handout_dialog_unwatched_then_ces_elsewhere(qtbot, window):
    """The handout dialog open on P-DUE-case, the watch stopped (it has not looked yet), then
    a cauda equina flag saved by another program; returns the dialog."""
    _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    window.stop_local_watch()
    _add_ces_elsewhere(window.context)
    return dialog


def _assert_emergency_list(dialog):
    items = _items(dialog)
    lead = items["emergency_now"]
    assert lead.checkState() == Qt.Checked and not (lead.flags() & Qt.ItemIsUserCheckable)
    assert dialog.selected_sheets()[0] == "emergency_now"
    assert not set(dialog.selected_sheets()) & hc.REASSURING_SHEETS  # "Will it get better? Yes" not ticked
    assert "EMERGENCY red flag standing" in dialog.note.text()


# ---------------------------------------------------------------------------- the handout dialog (F8)
def test_the_open_handout_dialog_follows_a_red_flag_saved_by_another_program(window, qtbot, save_to, tmp_path):
    view = _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    assert "emergency_now" not in _items(dialog)
    assert set(dialog.selected_sheets()) & hc.REASSURING_SHEETS  # routine: the reassurance is ticked
    assert not dialog.changed_note.isVisible()
    _add_ces_elsewhere(window.context)
    qtbot.waitUntil(lambda: "emergency_now" in _items(dialog), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _shown_status(view, "P-DUE-case") == IMMEDIATE, timeout=WAIT_MS)
    _assert_emergency_list(dialog)
    assert dialog.changed_note.isVisible()
    said = dialog.changed_note.text()
    assert said.startswith("A red flag was recorded for this patient since this dialog opened: EMERGENCY")
    assert "Saddle (perineal) numbness" in said and "Urinary retention" in said
    out = tmp_path / "after.pdf"
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    text = _text(out)
    assert text.find("emergency department now") != -1
    assert text.find("emergency department now") < 400  # the emergency sheet leads
    assert "Will it get better" not in text


def test_a_tick_made_after_being_told_is_kept_by_a_later_refresh_that_changes_no_red_flag(window, qtbot):
    _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    _add_ces_elsewhere(window.context)
    qtbot.waitUntil(lambda: "emergency_now" in _items(dialog), timeout=WAIT_MS)
    routine = next(sid for sid in _items(dialog) if sid in hc.REASSURING_SHEETS)
    _items(dialog)[routine].setCheckState(Qt.Checked)  # the clinician ticks it, told of the flag
    visits = len(window.patient_view.case.visits)
    with _other(window.context) as other:  # a visit with no red-flag answer: the flags stay
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=6), user="Dr Cli")
    qtbot.waitUntil(lambda: len(window.patient_view.case.visits) == visits + 1, timeout=WAIT_MS)
    assert len(dialog.case.visits) == visits + 1
    assert routine in dialog.selected_sheets() and dialog.selected_sheets()[0] == "emergency_now"


def test_a_red_flag_answered_no_elsewhere_lists_the_routine_sheets_again_and_says_so(window, qtbot):
    _ready(qtbot, window)
    window.open_case("P-RED-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    _assert_emergency_list(dialog)
    with _other(window.context) as other:  # re-screened at a visit: every CES question answered no
        other.add_visit("P-RED-case", FollowUpVisit(date=TODAY, leg_nrs=4, red_flags=NO_CES), user="Dr Cli")
    qtbot.waitUntil(lambda: "emergency_now" not in _items(dialog), timeout=WAIT_MS)
    assert "no longer stands" in dialog.changed_note.text() and dialog.changed_note.isVisible()
    assert set(dialog.selected_sheets()) & hc.REASSURING_SHEETS  # as when opened on a routine case


def test_save_as_pdf_reads_the_red_flags_again_and_prints_nothing_stale(window, qtbot, save_to, tmp_path):
    """The watch has not looked yet (stopped here): the Save itself finds the new flag."""
    dialog = _handout_dialog_unwatched_then_ces_elsewhere(qtbot, window)
    stale = tmp_path / "stale.pdf"
    save_to(stale)
    assert dialog.save_pdf() is None
    assert not stale.exists() and not list(tmp_path.glob("*.part"))
    assert dialog.changed_note.text().startswith("Nothing was printed. A red flag was recorded for this patient")
    _assert_emergency_list(dialog)
    assert not [e for e in window.context.store.audit(case_id="P-DUE-case") if e.action == "handout_saved"]
    good = tmp_path / "good.pdf"
    save_to(good)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)  # the updated list: saved, the emergency sheet first
    assert good.exists()
    text = _text(good)
    assert -1 < text.find("emergency department now") < 400 and "Will it get better" not in text


def test_print_reads_the_red_flags_again_and_prints_nothing_stale(window, qtbot, monkeypatch):
    from radiculopathy_desktop.reports import printing
    printed = []
    monkeypatch.setattr(printing, "print_with_preview",
                        lambda document, parent, paper: printed.append(document) or True)
    dialog = _handout_dialog_unwatched_then_ces_elsewhere(qtbot, window)
    assert dialog.print_handout() is False and printed == []
    assert "Nothing was printed" in dialog.changed_note.text()
    _assert_emergency_list(dialog)
    assert dialog.print_handout() is True and len(printed) == 1


def test_a_handout_that_cannot_check_the_red_flags_prints_nothing(window, qtbot, save_to, tmp_path, monkeypatch):
    from radiculopathy_desktop.errors import UserError
    shown = []
    monkeypatch.setattr(exports, "show_error", lambda parent, exc, kept_input=False: shown.append(exc))
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    store = window.context.store

    def unreadable(case_id):
        raise UserError("The tracker cannot be read")
    monkeypatch.setattr(store, "get_case", unreadable)
    out = tmp_path / "x.pdf"
    save_to(out)
    assert dialog.save_pdf() is None and not out.exists()
    assert shown and "could not be checked" in dialog.note.text()


# ---------------------------------------------------------------------------- the decision dialog (F5)
def _decision_dialog(window, qtbot, case_id="P-DUE-case"):
    return open_decision_dialog(window, qtbot, case_id)


def _ack_box(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.acknowledge_box is not None and dialog.acknowledge_box.isVisible(),
                    timeout=WAIT_MS)
    return dialog.acknowledge_box


def _press(qtbot, box, words):
    button = next(b for b in box.buttons() if words in b.text().replace("&", ""))
    qtbot.mouseClick(button, Qt.LeftButton)


def _save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def test_the_open_decision_dialog_shows_a_red_flag_saved_elsewhere_and_asks_before_a_discharge(
        window, qtbot, context):
    _ready(qtbot, window)
    dialog = _decision_dialog(window, qtbot)
    qtbot.mouseClick(dialog.kind.buttons["resolved_discharged"], Qt.LeftButton)
    qtbot.keyClicks(dialog.by, "Dr A")
    assert not dialog.red_flag_warning.isVisible()
    _add_ces_elsewhere(context)
    qtbot.waitUntil(lambda: dialog.red_flag_warning.isVisible(), timeout=WAIT_MS)
    said = dialog.red_flag_warning.text()
    assert said.startswith("A red flag was recorded for this patient since this dialog opened: EMERGENCY")
    assert "Saddle (perineal) numbness" in said and "closes or pauses the case" in said
    _save(qtbot, dialog)
    box = _ack_box(qtbot, dialog)  # asked, as for a flag known when the dialog opened
    assert "Saddle (perineal) numbness" in box.text() and "EMERGENCY" in box.text()
    _press(qtbot, box, "Go back")
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and dialog.by.text() == "Dr A" and dialog.choice() == "resolved_discharged"
    assert context.store.get_case("P-DUE-case").decisions == ()


def test_save_reads_the_red_flags_again_and_asks_when_they_changed(window, qtbot, context):
    """The watch has not looked yet (stopped here): Save itself finds the new flag, saves
    nothing, shows it and asks; the acknowledgement then records the discharge naming it."""
    _ready(qtbot, window)
    dialog = _decision_dialog(window, qtbot)
    window.stop_local_watch()
    qtbot.mouseClick(dialog.kind.buttons["resolved_discharged"], Qt.LeftButton)
    qtbot.keyClicks(dialog.by, "Dr A")
    qtbot.keyClicks(dialog.note, "settled")
    _add_ces_elsewhere(context)
    _save(qtbot, dialog)
    box = _ack_box(qtbot, dialog)
    assert context.store.get_case("P-DUE-case").decisions == ()  # nothing saved without the question
    assert "Not saved: the red flags on this case changed" in dialog.general_error.text()
    assert dialog.red_flag_warning.isVisible() and "Saddle (perineal) numbness" in dialog.red_flag_warning.text()
    assert "Urinary retention" in box.text()
    assert dialog.by.text() == "Dr A" and dialog.note.toPlainText() == "settled"  # nothing typed lost
    _press(qtbot, box, "acknowledged")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    (decision,) = context.store.get_case("P-DUE-case").decisions
    assert decision.kind == "resolved_discharged" and decision.by == "Dr A"
    assert set(decision.acknowledged_red_flags) == {"saddle_anaesthesia", "urinary_retention_or_incontinence"}
    entry = [a for a in context.store.audit("P-DUE-case") if a.action == "decision_recorded"][-1]
    assert set(entry.detail["acknowledged_red_flags"]["flags"]) == set(decision.acknowledged_red_flags)


def test_a_referral_saved_after_a_new_red_flag_names_it_once_shown(window, qtbot, context):
    """A referral asks no question, but one made for the case as it was is not saved as if it
    acted on a flag it never saw: the first Save shows the flag, the second names it."""
    _ready(qtbot, window)
    dialog = _decision_dialog(window, qtbot)
    window.stop_local_watch()
    qtbot.mouseClick(dialog.kind.buttons["referred_for_surgical_opinion"], Qt.LeftButton)
    _add_ces_elsewhere(context)
    _save(qtbot, dialog)
    assert dialog.isVisible() and dialog.acknowledge_box is None
    assert context.store.get_case("P-DUE-case").decisions == ()
    assert "Saddle (perineal) numbness" in dialog.red_flag_warning.text() and dialog.red_flag_warning.isVisible()
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    (decision,) = context.store.get_case("P-DUE-case").decisions
    assert set(decision.acknowledged_red_flags) == {"saddle_anaesthesia", "urinary_retention_or_incontinence"}


def test_a_decision_dialog_with_nothing_typed_closes_without_a_question_after_a_refresh(
        window, qtbot, context, monkeypatch):
    from radiculopathy_desktop.ui import dialogs
    monkeypatch.setattr(dialogs, "ask_discard", lambda *a: pytest.fail("nothing was typed"))
    _ready(qtbot, window)
    dialog = _decision_dialog(window, qtbot)
    _add_ces_elsewhere(context)
    qtbot.waitUntil(lambda: dialog.red_flag_warning.isVisible(), timeout=WAIT_MS)
    dialog.reject()
    assert not dialog.isVisible()


# ---------------------------------------------------------------------------- on the clinic server
def test_on_the_clinic_server_both_dialogs_follow_a_red_flag_saved_on_another_workstation(
        server_window, qtbot, pg_database):
    """The same refresh path (the server's LISTEN/NOTIFY watch): another clinician's visit with a
    cauda equina red flag reaches an open handout dialog, and then an open decision dialog."""
    import pg_server as pgs
    from radiculopathy_desktop.storage.pg.store import PgStore
    window = server_window
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    handout = _handout_dialog(qtbot, window)
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Ben")
    qtbot.waitUntil(lambda: "emergency_now" in _items(handout), timeout=WAIT_MS)
    _assert_emergency_list(handout)
    assert "A red flag was recorded for this patient since this dialog opened" in handout.changed_note.text()
    handout.close()
    qtbot.waitUntil(lambda: not handout.isVisible())

    window.open_case("P-NFU-case")
    decision = window.patient_view.record_decision()
    qtbot.waitExposed(decision)
    qtbot.mouseClick(decision.kind.buttons["resolved_discharged"], Qt.LeftButton)
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-NFU-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Ben")
    qtbot.waitUntil(lambda: decision.red_flag_warning.isVisible(), timeout=WAIT_MS)
    assert "since this dialog opened: EMERGENCY" in decision.red_flag_warning.text()
    _save(qtbot, decision)
    box = _ack_box(qtbot, decision)
    _press(qtbot, box, "Go back")
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.context.store.get_case("P-NFU-case").decisions == ()
    decision.done(0)  # closed as it is (the test's own end, not a user's Cancel)


def test_on_the_clinic_server_save_reads_the_red_flags_again(server_window, qtbot, pg_database, save_to, tmp_path):
    import pg_server as pgs
    from radiculopathy_desktop.storage.pg.store import PgStore
    window = server_window
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    handout = _handout_dialog(qtbot, window)
    window.stop_server_watch()  # the watch has not told the window yet
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        other.add_visit("P-DUE-case", FollowUpVisit(date=TODAY, leg_nrs=7, red_flags=CES), user="Dr Ben")
    out = tmp_path / "stale.pdf"
    save_to(out)
    assert handout.save_pdf() is None and not out.exists()
    assert "Nothing was printed. A red flag was recorded" in handout.changed_note.text()
    _assert_emergency_list(handout)


def test_a_print_preview_open_when_a_red_flag_arrives_is_closed_and_nothing_printed(window, qtbot, monkeypatch):
    """The preview's pages were made before the red flag: it is closed, and the dialog says so."""
    from radiculopathy_desktop.reports import printing
    seen = []

    def preview_open_meanwhile(preview):  # as exec(): the preview shows while the watch runs
        preview.show()
        seen.append(preview)
        _add_ces_elsewhere(window.context)
        qtbot.waitUntil(lambda: not preview.isVisible(), timeout=WAIT_MS)
        return preview.result()
    monkeypatch.setattr(printing, "open_dialog", preview_open_meanwhile)
    _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    assert dialog.print_handout() is False and len(seen) == 1
    assert dialog.changed_note.text().startswith("The print preview was closed: nothing was printed. A red flag")
    _assert_emergency_list(dialog)
    assert not [e for e in window.context.store.audit(case_id="P-DUE-case") if e.action == "handout_printed"]


def test_a_handout_printed_from_the_system_dialog_while_a_red_flag_arrived_is_named_out_of_date(
        window, qtbot, monkeypatch):
    from radiculopathy_desktop.reports import printing
    _ready(qtbot, window)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)

    def printed_meanwhile(document, parent, paper):  # the system dialog open while the flag arrives
        _add_ces_elsewhere(window.context)
        qtbot.waitUntil(lambda: "emergency_now" in _items(dialog), timeout=WAIT_MS)
        return True
    monkeypatch.setattr(printing, "print_with_preview", printed_meanwhile)
    assert dialog.print_handout() is True
    said = dialog.changed_note.text()
    assert said.startswith("The handout was printed as it was before this change: do not give it to the patient")
    assert "A red flag was recorded for this patient since this dialog opened" in said
    _assert_emergency_list(dialog)
