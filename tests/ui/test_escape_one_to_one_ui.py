"""The window shows stored texts one-to-one (red-team rt10 F8): a patient id holding a real
U+202E and one holding the typed characters backslash, u, 2, 0, 2, e are shown apart in the
worklist and the patient header (the typed backslash doubled), and the intake refuses a
typed escape in a new patient id, beside the field, keeping the text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict
from .keyboard import focus, type_here
from .window_steps import intake_first_step, retype


def test_a_typed_escape_in_a_new_patient_id_is_refused_beside_the_field(window, qtbot, context):
    wiz, page = intake_first_step(window, qtbot, "EX\\u202e1", "Lit Eral")
    assert wiz.index == 0
    error = page.form.errors["patient.id"]
    assert error.isVisible() and "holds the text \\u202e (character 3)" in error.text()
    assert page.pid.text() == "EX\\u202e1"  # nothing typed is lost
    retype(qtbot, page.pid, "EX-1")
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 1, {k: v.text() for k, v in page.form.errors.items() if v.text()}


def test_a_real_override_and_its_typed_look_alike_are_shown_apart(window, qtbot, context):
    context.store.import_cases([parse_case(case_dict("EX\u202e1", "Real Patient", 40)),
                                parse_case(case_dict("EX\\u202e1", "Literal Backslash", 40))], user="test")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    view = window.views["worklist"]
    view.search_box.setFocus()
    type_here(qtbot, "EX")
    model = view.model
    qtbot.waitUntil(lambda: len(model.rows) == 2, timeout=10000)
    shown = {model.text(r, "name"): model.text(r, "patient_id") for r in model.rows}
    assert shown == {"Real Patient": "EX\\u202e1", "Literal Backslash": "EX\\\\u202e1"}
    window.open_case("EX\\u202e1-case")
    title = window.patient_view.title.text()
    assert "Patient ID EX\\\\u202e1 · case EX\\\\u202e1-case" in title
    window.open_case("EX\u202e1-case")
    title = window.patient_view.title.text()
    assert "Patient ID EX\\u202e1 · case EX\\u202e1-case" in title and "\u202e" not in title
