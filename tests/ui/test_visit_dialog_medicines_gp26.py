"""The visit dialog lists the medicines the patient is on (gp26 F1, H-UI-426).

gp26: recording a follow-up visit, the dialog showed pain, function, power and red flags but
not one word of what the patient takes, so the scores were typed blind to the medicines (a
patient on diclofenac with apixaban, co-codamol 30/500 at the full 8 a day). The dialog now
lists the case's current medicines as the intake recorded them, each with its recorded dose,
read-only, under a heading naming the date they were recorded; Tab goes past it to the scores.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .window_steps import active_dialog
from tests.ui.keyboard import focus, tab

MEDS = [{"name": "Diclofenac", "daily_dose_mg": 150}, {"name": "apixaban"},
        {"name": "co-codamol 30/500", "daily_dose_mg": 240}]


def _visit_by_keys(window, qtbot, case: dict):
    from radiculopathy_desktop.ui.dialogs import VisitDialog
    window.context.store.import_cases([parse_case(case)], user="test")
    window.open_case(case["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    qtbot.keyClick(window, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)  # Add follow-up visit
    dialog = window.patient_view.findChild(VisitDialog)
    assert dialog is not None
    return active_dialog(qtbot, dialog)


def test_the_visit_dialog_lists_the_medicines_with_doses_and_the_date_recorded(window, qtbot):
    case = case_dict("P-MEDS", "Mia Meds", 20)
    case["medicines"] = MEDS
    dialog = _visit_by_keys(window, qtbot, case)
    intake_day = TODAY - dt.timedelta(days=20)
    box = dialog.medicines_box
    assert box.isVisible()
    heading = f"Medicines recorded at the intake on {intake_day.day} Feb {intake_day.year}"
    assert box.title().startswith(heading) and "read-only" in box.title()
    lines = dialog.medicines_label.text().split("\n")
    assert lines == ["• diclofenac 150 mg a day", "• apixaban (no dose recorded)",
                     "• co-codamol 30/500 240 mg a day (8 tablets a day of 30/500: codeine 240 mg, "
                     "acetaminophen 4000 mg)"]
    assert "does not record medicines" in " ".join(label.text() for label in box.findChildren(type(dialog.medicines_label)))
    assert dialog.medicines_label.accessibleName().startswith(heading + ": diclofenac 150 mg a day; apixaban")
    # above the scores, in view when the dialog opens: read before the pain is typed
    view = dialog.scroll.viewport()
    top = box.mapTo(view, box.rect().topLeft()).y()
    assert 0 <= top < dialog.leg.mapTo(view, dialog.leg.rect().topLeft()).y()
    assert box.mapTo(view, box.rect().bottomLeft()).y() <= view.height()
    # nothing to type there: Tab goes from the date to the leg pain, and a visit is saved as before
    assert focus() is dialog.date
    tab(qtbot)
    assert focus() is dialog.leg
    qtbot.keyClicks(focus(), "4")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)  # Save
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = window.context.store.get_case("P-MEDS-case")
    assert saved.visits[-1].leg_nrs == 4
    assert [(m.name, m.daily_dose_mg) for m in saved.intake.medicines] == [
        ("diclofenac", 150), ("apixaban", None), ("co-codamol 30/500", 240)]  # read-only: unchanged


def test_a_case_without_medicines_says_none_were_recorded(window, qtbot):
    dialog = _visit_by_keys(window, qtbot, case_dict("P-NONE", "Noa None", 15))
    assert dialog.medicines_label.text() == "None recorded at the intake."
    assert dialog.medicines_label.accessibleName().endswith(": none")
    assert not dialog.has_input()  # the list is not input: Esc closes without a question
    qtbot.keyClick(focus(), Qt.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_a_hidden_character_in_a_recorded_name_is_shown_not_obeyed(window, qtbot):
    case = case_dict("P-HID", "Hal Hidden", 15)
    case["medicines"] = [{"name": "ibupro\u202efen", "daily_dose_mg": 1200}]
    dialog = _visit_by_keys(window, qtbot, case)
    text = dialog.medicines_label.text()
    assert "\u202e" not in text and "ibupro" in text and "1200 mg a day" in text
    dialog.discard()


def test_the_list_follows_the_case_updated_elsewhere_while_the_dialog_is_open(window, qtbot, context):
    """Another program updates the case's intake medicines (an import) while the dialog is
    open: when the page reloads the case the list shows the new one and says it changed."""
    from .test_local_live import WAIT_MS, _other, _ready
    _ready(qtbot, window)
    case = case_dict("P-UPD", "Uma Updated", 20)
    case["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    dialog = _visit_by_keys(window, qtbot, case)
    assert dialog.medicines_label.text() == "• ibuprofen 1200 mg a day"
    qtbot.keyClicks(dialog.leg, "5")  # typed before the change: kept
    case["medicines"] = [{"name": "naproxen", "daily_dose_mg": 1000}, {"name": "warfarin", "daily_dose_mg": 5}]
    with _other(context) as other:
        other.import_cases([parse_case(case)], user="Dr Elsewhere")
    qtbot.waitUntil(lambda: "naproxen" in dialog.medicines_label.text(), timeout=WAIT_MS)
    assert dialog.medicines_label.text().split("\n") == [
        dialog.MEDICINES_CHANGED, "• naproxen 1000 mg a day", "• warfarin 5 mg a day"]
    assert "changed since this dialog opened" in dialog.medicines_label.accessibleName()
    assert dialog.leg.text() == "5" and dialog.isVisible()
    dialog.discard()
