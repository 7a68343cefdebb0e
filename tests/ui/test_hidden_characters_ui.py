"""Control characters and direction overrides in names, in the window (red-team rt8 F8):
the intake refuses a pasted name holding them, naming the character beside the field and
keeping what was typed; a case stored before that check is shown with visible escapes, so
"\\u202eevil" never displays as "live" and two patients cannot look alike."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .keyboard import focus, type_here
from .window_steps import intake_first_step

HOSTILE = "Sam\u200f\u202eevil\x07\x1b[31m\tLee"


def test_a_pasted_name_with_hidden_characters_is_refused_by_name_and_kept_to_fix(window, qtbot, context):
    wiz, page = intake_first_step(window, qtbot, "P-HIDE", HOSTILE, paste=("name",))
    assert page.name.text() == HOSTILE  # the field takes the paste: the check names what to remove
    assert wiz.index == 0  # not on to the next step
    shown = page.form.errors["patient.name"].text()
    assert page.form.errors["patient.name"].isVisible()
    for name in ("U+200F RIGHT-TO-LEFT MARK", "U+202E RIGHT-TO-LEFT OVERRIDE", "U+0007 BELL", "U+001B ESCAPE",
                 "U+0009 CHARACTER TABULATION (tab)"):
        assert name in shown, shown
    assert "\u202e" not in shown and "\x1b" not in shown
    assert page.name.text() == HOSTILE  # nothing typed is lost
    # the user retypes the name: the step goes on
    page.name.setFocus()
    page.name.selectAll()
    type_here(qtbot, "Sam Lee ")
    QApplication.clipboard().setText("\u0645\u062d\u0645\u062f")  # Arabic letters are a name like any other
    qtbot.keyClick(focus(), Qt.Key_V, Qt.ControlModifier)
    assert page.name.text() == "Sam Lee \u0645\u062d\u0645\u062f"
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}


def test_a_hidden_character_cannot_be_saved_from_the_last_step_either(window, qtbot, context):
    data = case_dict("P-HID2", "Ann\x07 Red", 0)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz.load(data)
    wiz._go(len(wiz.pages) - 1)
    count = context.store.case_count()
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    assert context.store.case_count() == count
    assert wiz.index == 0 and "U+0007 BELL" in wiz.pages[0].form.errors["patient.name"].text()


def test_a_stored_name_with_an_override_is_shown_escaped_in_worklist_and_patient_view(window, qtbot, context):
    note = {"date": (TODAY - dt.timedelta(days=5)).isoformat(), "leg_nrs": 5, "notes": "better\u202e ton\x07"}
    context.store.import_cases([parse_case(case_dict("P-RLO", "\u202eevil\u202c Sam", 50, visits=[note])),
                                parse_case(case_dict("P-LIVE", "live Sam", 50))], user="test")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    view.search_box.setFocus()
    type_here(qtbot, "evil")
    model = view.model

    def names():
        return [model.text(r, "name") for r in model.rows]

    qtbot.waitUntil(lambda: names() == ["\\u202eevil\\u202c Sam"], timeout=10000)
    window.open_case("P-RLO-case")
    title = window.patient_view.title.text()
    assert "\\u202eevil\\u202c Sam" in title and "\u202e" not in title
    assert "\u202e" not in window.patient_view.accessibleName()
    table = window.patient_view.timeline.table
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c) is not None]
    assert any("better\\u202e ton\\u0007" in c for c in cells), cells  # a stored note: shown, never obeyed
    assert not any("\u202e" in c or "\x07" in c for c in cells)
