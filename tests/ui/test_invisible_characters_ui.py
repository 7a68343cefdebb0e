"""Invisible identifiers in the window (red-team rt10 F6): the intake refuses a pasted
patient id holding a zero width space, naming it beside the field and keeping the text; a
Persian name with its zero width non-joiner goes on; look-alike ids stored before the check
are shown apart (escaped) in the worklist and the patient header."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .keyboard import focus, type_here
from .window_steps import intake_first_step

PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0631\u0636\u0627\u06cc\u06cc"


def test_a_pasted_id_with_a_zero_width_space_is_refused_and_a_persian_name_goes_on(window, qtbot, context):
    wiz, page = intake_first_step(window, qtbot, "DEMO-1001\u200b", PERSIAN, paste=("pid", "name"))
    assert wiz.index == 0
    shown = page.form.errors["patient.id"].text()
    assert page.form.errors["patient.id"].isVisible()
    assert "U+200B ZERO WIDTH SPACE" in shown and "\u200b" not in shown
    assert not page.form.errors["patient.name"].text()  # the non-joiner in the name is spelling
    assert page.pid.text() == "DEMO-1001\u200b"  # nothing typed is lost
    page.pid.setFocus()
    qtbot.keyClick(focus(), Qt.Key_End)
    qtbot.keyClick(focus(), Qt.Key_Backspace)
    assert page.pid.text() == "DEMO-1001"
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}


def test_look_alike_ids_stored_before_the_check_are_shown_apart(window, qtbot, context):
    twin = case_dict("DEMO-1001\u200b", "Alex Example", 40)
    context.store.import_cases([parse_case(case_dict("DEMO-1001", "Alex Example", 40)), parse_case(twin)],
                               user="test")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    view.search_box.setFocus()
    type_here(qtbot, "Alex")
    model = view.model
    qtbot.waitUntil(lambda: sorted(model.text(r, "patient_id") for r in model.rows)
                    == ["DEMO-1001", "DEMO-1001\\u200b"], timeout=10000)
    window.open_case("DEMO-1001\u200b-case")
    title = window.patient_view.title.text()
    assert "Patient ID DEMO-1001\\u200b" in title and "case DEMO-1001\\u200b-case" in title
    assert "\u200b" not in title
