"""Edit conditions on the case page (medfix2; H-UI-500..502, H-MED-630).

Once the intake was saved, a case's conditions could not be corrected in the window: her eGFR
of 75 at the intake stood when it had fallen to 25, so the banner said nothing about her
ibuprofen. Now "Edit conditions…" (Alt+N) opens the intake's conditions fields; Ctrl+Return
saves, Esc cancels (asking first), a value the intake refuses is said, and conditions changed on
another workstation meanwhile are refused and shown with what was typed kept. The pregnancy is
shown read-only (it is recorded at a visit), so the two never say different things.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.ui.conditions_dialog import EditConditionsDialog

from .conftest import TODAY, case_dict
from .keyboard import focus
from .test_pregnancy_intake import key, type_keys

CASE = "P-CON-case"


def _seed(store, egfr=75):
    d = case_dict("P-CON", "Cora Conditions", 58)
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    d["conditions"] = {"egfr": egfr}
    store.import_cases([parse_case(d)], user="test")


def _open_editor(window, qtbot) -> EditConditionsDialog:
    window.open_case(CASE)
    page = window.patient_view
    qtbot.waitUntil(lambda: page.case_id == CASE and page.isVisible())
    page.setFocus()
    qtbot.waitUntil(lambda: focus() is not None and page.isAncestorOf(focus()) or focus() is page)
    key(qtbot, Qt.Key_N, Qt.AltModifier)  # Edit co&nditions
    qtbot.waitUntil(lambda: any(isinstance(w, EditConditionsDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EditConditionsDialog) and w.isVisible())
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _gone(dialog) -> bool:
    import shiboken6
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _type_egfr(qtbot, dialog, text):
    key(qtbot, Qt.Key_G, Qt.AltModifier)  # e&GFR
    qtbot.waitUntil(lambda: focus() is not None and (focus() is dialog.egfr or dialog.egfr.isAncestorOf(focus())))
    key(qtbot, Qt.Key_A, Qt.ControlModifier)
    type_keys(qtbot, text)


def test_a_fallen_egfr_saved_by_keys_reaches_the_banner_the_worklist_and_the_history(window, qtbot, store):
    _seed(store, 75)
    dialog = _open_editor(window, qtbot)
    page = window.patient_view
    assert not (page.medicine_alert_banner.isVisible() and "ibuprofen" in page.medicine_alert_banner.text().lower())
    assert dialog.egfr.value() == 75
    assert "Pregnancy:" in dialog.pregnancy.text() and "follow-up visit" in dialog.pregnancy.text()
    assert not dialog.meds_verdicts.isVisible()  # ibuprofen at eGFR 75: nothing to say
    _type_egfr(qtbot, dialog, "25")
    # the medicine check with the conditions as typed, before Save (what the banner will say)
    qtbot.waitUntil(lambda: dialog.meds_verdicts.isVisible() and "ibuprofen" in dialog.meds_verdicts.text().lower())
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Return saves
    qtbot.waitUntil(lambda: _gone(dialog))
    stored = store.get_case(CASE)
    assert stored.intake.conditions.egfr == 25
    assert stored.intake.medicines[0].name == "ibuprofen"  # nothing else changed
    # the page reloaded from the announcement: the NSAID with an eGFR under 30 is now flagged
    qtbot.waitUntil(lambda: page.medicine_alert_banner.isVisible()
                    and "ibuprofen" in page.medicine_alert_banner.text().lower())
    assert store.medicine_alert_count(TODAY) == 1  # the worklist's Medicine alerts filter lists her
    entry = store.audit(CASE)[-1]
    assert (entry.action, entry.user) == ("conditions_changed", window.context.user)
    assert {"field": "egfr", "before": 75.0, "after": 25.0} in entry.detail["changed"]
    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: any("Conditions corrected" in r[2] for r in page.history.rows()))
    row = next(r for r in page.history.rows() if "Conditions corrected" in r[2])
    assert "eGFR 75 mL/min/1.73m² → 25 mL/min/1.73m²" in row[3]


def test_escape_asks_when_changed_keep_typing_keeps_it_discard_saves_nothing(window, qtbot, store, monkeypatch):
    from radiculopathy_desktop.ui import dialogs
    answers = [False, True]
    asked = []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or answers.pop(0))
    _seed(store, 75)
    dialog = _open_editor(window, qtbot)
    _type_egfr(qtbot, dialog, "25")
    count = len(store.audit(CASE))
    key(qtbot, Qt.Key_Escape)
    assert asked == ["change of conditions"] and dialog.isVisible() and dialog.egfr.value() == 25
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.conditions.egfr == 75
    assert len(store.audit(CASE)) == count


def test_escape_with_nothing_changed_closes_without_asking(window, qtbot, store, monkeypatch):
    from radiculopathy_desktop.ui import dialogs
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: pytest.fail("asked with nothing changed"))
    _seed(store)
    dialog = _open_editor(window, qtbot)
    key(qtbot, Qt.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog))


def test_an_egfr_the_intake_refuses_is_said_and_nothing_saved(window, qtbot, store):
    _seed(store, 75)
    dialog = _open_editor(window, qtbot)
    _type_egfr(qtbot, dialog, "250")
    count = len(store.audit(CASE))
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and "Not saved" in dialog.error.text()
    assert dialog.egfr.text().strip().startswith("250")  # what was typed stays
    assert store.get_case(CASE).intake.conditions.egfr == 75
    assert len(store.audit(CASE)) == count
    dialog.done(0)


def test_conditions_changed_on_another_workstation_are_refused_shown_and_saved_on_purpose(window, qtbot, store):
    _seed(store, 75)
    dialog = _open_editor(window, qtbot)
    _type_egfr(qtbot, dialog, "40")
    # meanwhile another workstation records eGFR 25 (its own store: no announcement here)
    store.set_conditions(CASE, {"egfr": 25, "alcohol_use": "unknown"}, user="dr.elsewhere",
                         shown=store.get_case(CASE))
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert dialog.isVisible() and "changed on another workstation" in dialog.error.text()
    assert dialog.meanwhile.isVisible() and "eGFR 25" in dialog.meanwhile.text()
    assert dialog.egfr.value() == 40  # what was typed stays
    assert store.get_case(CASE).intake.conditions.egfr == 25
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)  # seen: saved on purpose
    qtbot.waitUntil(lambda: _gone(dialog))
    assert store.get_case(CASE).intake.conditions.egfr == 40
    assert [e.user for e in store.audit(CASE) if e.action == "conditions_changed"] == \
        ["dr.elsewhere", window.context.user]
