"""Edit medicines on the case page (medfix; H-UI-489..493).

GP tryout: once the intake was saved, a case's current medicines could not be corrected in the
window ("naproxen 500 mg bd" typed on the wrong patient, a medicine stopped); only the CLI's
``import --replace-records``, so the banner, the pathway, the worklist marks and the handouts
kept the stale list. Now "Edit medicines…" on the case page opens the intake's medicines table
with its live medicine check; the clinician removes, adds and retypes rows by keys, Ctrl+Return
saves, Esc cancels, a bad row is said and nothing typed is lost, and a list changed on another
workstation meanwhile is refused and shown.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from radiculopathy_desktop.domain.intake import Medicine, parse_case
from radiculopathy_desktop.ui.medicines_dialog import EditMedicinesDialog

from .conftest import TODAY, case_dict
from .keyboard import focus
from .test_pregnancy_intake import key, type_keys

CASE = "P-MED-case"


def _seed(store):
    d = case_dict("P-MED", "Mara Medicines", 30)
    d["patient"]["pregnancy_weeks"] = 24  # an NSAID after 20 weeks carries an alert (FDA, 15 October 2020)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}, {"name": "gabapentin", "daily_dose_mg": 900}]
    store.import_cases([parse_case(d)], user="test")


def _open_editor(window, qtbot, by_key: bool = False) -> EditMedicinesDialog:
    window.open_case(CASE)
    page = window.patient_view
    qtbot.waitUntil(lambda: page.case_id == CASE and page.isVisible())
    assert page.medicine_alert_banner.isVisible() and "ibuprofen" in page.medicine_alert_banner.text()
    if by_key:  # Edit &medicines: Alt+M on the case page
        page.setFocus()
        qtbot.waitUntil(lambda: focus() is not None and page.isAncestorOf(focus()) or focus() is page)
        key(qtbot, Qt.Key_M, Qt.AltModifier)
    else:
        qtbot.mouseClick(page.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, EditMedicinesDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EditMedicinesDialog) and w.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.meds.setFocus()
    return dialog


def _gone(dialog) -> bool:
    """Closed (the dialog deletes itself on close)."""
    import shiboken6
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _rows(dialog):
    return [(dialog.meds.item(r, 0).text(), dialog.meds.item(r, 1).text()) for r in range(dialog.meds.rowCount())]


def _type_row(qtbot, dialog, name, dose):
    """Alt+M (a new row, its name cell current), the name, Tab, the dose, Tab out of the table."""
    key(qtbot, Qt.Key_M, Qt.AltModifier)
    if name:
        type_keys(qtbot, name)
        key(qtbot, Qt.Key_Tab)
    else:  # no name: Right arrow to the dose cell (Tab from a cell not being typed in leaves the table)
        key(qtbot, Qt.Key_Right)
    type_keys(qtbot, dose)
    key(qtbot, Qt.Key_Tab)
    qtbot.waitUntil(lambda: dialog.meds.state() != QAbstractItemView.EditingState)


def test_remove_add_and_save_by_keys_refreshes_banner_worklist_and_history(window, qtbot, store):
    _seed(store)
    dialog = _open_editor(window, qtbot, by_key=True)
    assert _rows(dialog) == [("ibuprofen", "1200"), ("gabapentin", "900")]
    # the intake step's live verdicts: the NSAID in pregnancy is named before anything is typed
    assert dialog.meds_verdicts.isVisible() and "ibuprofen" in dialog.meds_verdicts.text().lower()
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # Remo&ve medicine: ibuprofen goes
    assert _rows(dialog) == [("gabapentin", "900")]
    assert "ibuprofen" not in dialog.meds_verdicts.text().lower()
    _type_row(qtbot, dialog, "paracetamol", "3000")
    assert _rows(dialog) == [("gabapentin", "900"), ("paracetamol", "3000")]
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Return saves, as on the intake
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.medicines == (Medicine("gabapentin", 900.0), Medicine("paracetamol", 3000.0))
    page = window.patient_view
    qtbot.waitUntil(lambda: not page.medicine_alert_banner.isVisible())  # the page reloaded: no NSAID alert
    assert store.medicine_alert_count(TODAY) == 0  # the worklist's Medicine alerts filter no longer lists her
    entry = store.audit(CASE)[-1]
    assert (entry.action, entry.user) == ("medicines_changed", window.context.user)
    assert entry.detail["removed"] == [{"name": "ibuprofen", "daily_dose_mg": 1200.0}]
    assert entry.detail["added"] == [{"name": "paracetamol", "daily_dose_mg": 3000.0}]
    page.tabs.setCurrentWidget(page.history)  # the Access history tab names the correction
    qtbot.waitUntil(lambda: any("Current medicines corrected" in r[2] for r in page.history.rows()))
    row = next(r for r in page.history.rows() if "Current medicines corrected" in r[2])
    assert "added paracetamol (3000 mg a day)" in row[3] and "removed ibuprofen (1200 mg a day)" in row[3]


def test_escape_cancels_without_saving(window, qtbot, store):
    _seed(store)
    dialog = _open_editor(window, qtbot)
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)
    count = len(store.audit(CASE))
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Escape)  # (the conftest answers the discard question "discard")
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.medicines == (Medicine("ibuprofen", 1200.0), Medicine("gabapentin", 900.0))
    assert len(store.audit(CASE)) == count


def test_escape_asks_and_keep_typing_keeps_the_rows(window, qtbot, store, monkeypatch):
    from radiculopathy_desktop.ui import dialogs
    asked = []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or False)
    _seed(store)
    dialog = _open_editor(window, qtbot)
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Escape)
    assert asked == ["medicine list"] and dialog.isVisible()
    assert _rows(dialog) == [("gabapentin", "900")]
    dialog.done(0)


@pytest.mark.parametrize("name, dose, said", [
    ("", "500", "type the medicine's generic name"),
    ("naproxen", "0", "is not a dose"),
    ("naproxen", "500 mg bd", "must be a number of mg"),
    ("naproxen", "250000", "more than any daily dose"),
])
def test_a_bad_row_is_said_and_nothing_typed_is_lost(window, qtbot, store, name, dose, said):
    _seed(store)
    dialog = _open_editor(window, qtbot)
    _type_row(qtbot, dialog, name, dose)
    before = _rows(dialog)
    count = len(store.audit(CASE))
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible()
    assert said in dialog.error.text() and "Row 3" in dialog.error.text()
    assert _rows(dialog) == before  # nothing typed changed
    assert dialog.meds.currentRow() == 2  # the row to correct is current
    assert len(store.audit(CASE)) == count
    assert store.get_case(CASE).intake.medicines == (Medicine("ibuprofen", 1200.0), Medicine("gabapentin", 900.0))
    dialog.done(0)


def test_a_list_changed_on_another_workstation_is_refused_shown_and_saved_on_purpose(window, qtbot, store):
    _seed(store)
    dialog = _open_editor(window, qtbot)
    dialog.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # this workstation: ibuprofen removed, not yet saved
    # meanwhile another workstation stops gabapentin (through its own store: no announcement here)
    store.set_medicines(CASE, [Medicine("ibuprofen", 1200.0)], user="dr.elsewhere",
                        shown=(Medicine("ibuprofen", 1200.0), Medicine("gabapentin", 900.0)))
    dialog.meds.setFocus()
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible()
    assert "changed on another workstation" in dialog.error.text()
    assert dialog.meanwhile.isVisible() and "ibuprofen 1200 mg a day" in dialog.meanwhile.text()
    assert _rows(dialog) == [("gabapentin", "900")]  # what was typed stays
    assert store.get_case(CASE).intake.medicines == (Medicine("ibuprofen", 1200.0),)
    # seen: a second Save replaces the list saved meanwhile, on purpose
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.medicines == (Medicine("gabapentin", 900.0),)
    assert [e.user for e in store.audit(CASE) if e.action == "medicines_changed"] == \
        ["dr.elsewhere", window.context.user]


def test_ctrl_return_while_typing_a_dose_saves_what_is_typed(window, qtbot, store):
    _seed(store)
    dialog = _open_editor(window, qtbot)
    key(qtbot, Qt.Key_M, Qt.AltModifier)
    type_keys(qtbot, "naproxen")
    key(qtbot, Qt.Key_Tab)
    type_keys(qtbot, "1000")  # the dose cell's editor still open
    assert dialog.meds.state() == QAbstractItemView.EditingState
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.medicines[-1] == Medicine("naproxen", 1000.0)


def test_an_open_visit_dialog_shows_the_list_corrected_here_not_as_changed_elsewhere(window, qtbot, store):
    """medfix2 (H-UI-503): a visit dialog open while the clinician corrects the list in Edit
    medicines shows the corrected list, said to be corrected in this window, not "updated
    elsewhere"; what was typed in the visit stays."""
    from radiculopathy_desktop.ui.dialogs import VisitDialog
    _seed(store)
    window.open_case(CASE)
    page = window.patient_view
    qtbot.waitUntil(lambda: page.case_id == CASE and page.isVisible())
    qtbot.keyClick(window, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)  # Add follow-up visit
    visit = page.findChild(VisitDialog)
    qtbot.waitUntil(lambda: visit.isVisible())
    qtbot.keyClicks(visit.leg, "5")
    assert visit.medicines_label.text() == "• ibuprofen 1200 mg a day\n• gabapentin 900 mg a day"
    editor = _open_editor(window, qtbot)
    editor.meds.setCurrentCell(0, 0)
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # ibuprofen removed
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: _gone(editor))
    qtbot.waitUntil(lambda: "ibuprofen" not in visit.medicines_label.text())
    assert visit.medicines_label.text().split("\n") == [visit.MEDICINES_CORRECTED_HERE, "• gabapentin 900 mg a day"]
    assert "elsewhere" not in visit.medicines_label.text()
    assert "corrected in this window" in visit.medicines_label.accessibleName()
    assert visit.leg.text() == "5" and visit.isVisible()
    visit.discard()


def test_the_live_verdicts_use_today_and_the_pregnancy_a_visit_recorded_as_the_page_does(window, qtbot, store):
    """medfix2 (H-MED-631): "not pregnant" at the intake, 24 weeks pregnant at a later visit. The
    page's banner (today, the visit's answer) names the NSAID; the dialog's live verdicts, once
    checked on the intake's date with the intake's answer, said nothing: they now agree."""
    d = case_dict("P-MED", "Mara Medicines", 30,
                  visits=[{"date": (TODAY - dt.timedelta(days=5)).isoformat(), "leg_nrs": 6,
                           "pregnancy": {"pregnant": True, "weeks": 24}}])
    d["patient"]["pregnant"] = False
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}, {"name": "gabapentin", "daily_dose_mg": 900}]
    store.import_cases([parse_case(d)], user="test")
    dialog = _open_editor(window, qtbot)  # asserts the page's banner names ibuprofen
    assert dialog.meds_verdicts.isVisible() and "ibuprofen" in dialog.meds_verdicts.text().lower()
    assert "pregnan" in dialog.meds_verdicts.text().lower()
    dialog.done(0)


def test_conditions_corrected_while_the_editor_is_open_are_followed_by_its_verdicts(window, qtbot, store):
    """medfix2: the eGFR falls to 25 (saved from this window) while Edit medicines is open: the
    dialog's verdicts follow the case's conditions now, as the page's banner does."""
    d = case_dict("P-MED", "Mara Medicines", 30)
    d["patient"]["pregnancy_weeks"] = 24
    d["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 900}, {"name": "ibuprofen", "daily_dose_mg": 1200}]
    store.import_cases([parse_case(d)], user="test")
    dialog = _open_editor(window, qtbot)
    assert "gabapentin" not in dialog.meds_verdicts.text().lower()  # eGFR not recorded: no renal dose line
    shown = store.get_case(CASE)
    outcome = window.context.ops.run(lambda s: s.set_conditions(CASE, {"egfr": 25, "ckd": True}, "dr.b", shown=shown))
    assert outcome.ok
    qtbot.waitUntil(lambda: "gabapentin" in dialog.meds_verdicts.text().lower())  # gabapentin's renal dose
    assert not dialog.meanwhile.isVisible()  # the medicines themselves did not change
    dialog.done(0)
