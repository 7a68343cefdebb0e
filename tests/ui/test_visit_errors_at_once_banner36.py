"""Save in the visit dialog names every field's error at once (tryout36 F14, H-UI-556): with leg
pain "200x", back pain 50 and the date 2026-11-31, Save named only the two scores, and the
impossible date only at the next Save. Typed with the keys, saved with the Save button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from .keyboard import type_here
from .window_steps import open_visit_dialog


def _type_into(qtbot, field, text):
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)
    type_here(qtbot, text)


def _shown_errors(dialog) -> dict:
    return {field: label.text() for field, label in dialog.form.errors.items()
            if label.isVisibleTo(dialog) and label.text()}


def test_two_bad_scores_and_an_impossible_date_are_named_on_one_save(window, qtbot):
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    _type_into(qtbot, dialog.leg, "200x")
    _type_into(qtbot, dialog.back, "50")
    _type_into(qtbot, dialog.date, "2026-11-31")
    before = len(window.context.store.get_case("P-DUE-case").visits)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    shown = _shown_errors(dialog)
    assert {"visit.leg_nrs", "visit.back_nrs", "visit.date"} <= set(shown), shown
    assert "31" in shown["visit.date"] or "real" in shown["visit.date"]
    assert dialog.isVisible() and len(window.context.store.get_case("P-DUE-case").visits) == before
    dialog.close()


def test_one_bad_score_alone_is_named_alone_and_nothing_is_saved(window, qtbot):
    """Boundary: a score refused as typed with every other field good names that score alone."""
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    _type_into(qtbot, dialog.leg, "11")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert set(_shown_errors(dialog)) == {"visit.leg_nrs"}
    assert "Nothing is recorded" not in dialog.general_error.text()  # the 11 was typed: it is the error
    assert dialog.isVisible()
    dialog.close()
