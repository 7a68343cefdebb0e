"""Typed text is not lost without a question (red-team rt8 F9).

Esc in the follow-up visit dialog closed it and dropped a typed visit; a clinic name
typed in Settings vanished when the page was left, and the window closed without
asking. Now: Esc on an untouched dialog closes at once; with something typed it asks
"Discard this visit?" (Cancel keeps typing). Settings keep what was typed across pages
with a "Not saved yet" mark, and closing the window asks Save / Discard / Cancel.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.ui import dialogs, settings_view

from .keyboard import focus


def _dialog(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def _visit(window, qtbot):
    window.open_case("P-DUE-case")
    return _dialog(qtbot, window.patient_view.add_visit())


def test_esc_on_an_untouched_visit_dialog_closes_at_once(window, qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: pytest.fail("asked with nothing typed"))
    dialog = _visit(window, qtbot)
    qtbot.keyClick(focus(), Qt.Key_Escape)
    assert not dialog.isVisible()


def test_esc_on_a_typed_visit_asks_and_cancel_keeps_typing(window, qtbot, context, monkeypatch):
    answers, asked = [False, True], []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or answers.pop(0))
    dialog = _visit(window, qtbot)
    before = len(context.store.get_case("P-DUE-case").visits)
    dialog.leg.setFocus()
    qtbot.keyClicks(dialog.leg, "6")
    qtbot.keyClick(focus(), Qt.Key_Escape)
    assert asked == ["visit"] and dialog.isVisible() and dialog.leg.text() == "6"  # kept typing
    qtbot.keyClick(focus(), Qt.Key_Escape)  # asked again: discard this time
    assert asked == ["visit", "visit"] and not dialog.isVisible()
    assert len(context.store.get_case("P-DUE-case").visits) == before


def test_text_that_is_no_number_counts_as_typed(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or False)
    dialog = _visit(window, qtbot)
    dialog.rmdq.setFocus()
    qtbot.keyClicks(dialog.rmdq, "x")
    qtbot.keyClick(focus(), Qt.Key_Escape)
    assert asked == ["visit"] and dialog.isVisible()
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: True)
    dialog.reject()


def test_a_typed_decision_note_asks_before_it_is_dropped(window, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: asked.append(what) or False)
    window.open_case("P-DUE-case")
    dialog = _dialog(qtbot, window.patient_view.record_decision())
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "Discussed surgery")
    qtbot.keyClick(focus(), Qt.Key_Escape)
    assert asked == ["decision"] and dialog.isVisible()
    monkeypatch.setattr(dialogs, "ask_discard", lambda parent, what: True)
    dialog.reject()


def _settings_by_keyboard(window, qtbot):
    qtbot.keyClick(window, Qt.Key_5, Qt.ControlModifier)
    return window.views["settings"]


def test_a_typed_setting_is_kept_across_pages_and_marked_unsaved(window, qtbot, context):
    settings = _settings_by_keyboard(window, qtbot)
    settings.clinic_name.setFocus()
    qtbot.keyClicks(settings.clinic_name, "Typed not saved")
    assert settings.unsaved_label.text() == settings_view.UNSAVED
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    assert window.stack.currentWidget() is window.views["worklist"]
    settings = _settings_by_keyboard(window, qtbot)
    assert settings.clinic_name.text() == "Typed not saved" and settings.unsaved_label.text() == settings_view.UNSAVED
    assert context.clinic().name != "Typed not saved"  # not saved until Save
    qtbot.mouseClick(settings.revert_button, Qt.LeftButton)  # Revert drops it, and the mark
    assert settings.clinic_name.text() == context.clinic().name and settings.unsaved_label.text() == ""


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_closing_the_window_with_unsaved_settings_asks(window, qtbot, context, monkeypatch, answer):
    asked = []
    monkeypatch.setattr(settings_view, "ask_unsaved_settings", lambda parent: asked.append(1) or answer)
    settings = _settings_by_keyboard(window, qtbot)
    settings.clinic_name.setFocus()
    qtbot.keyClicks(settings.clinic_name, "Northside Clinic")
    window.close()
    assert asked == [1]
    assert window.isVisible() == (answer == "cancel")
    assert (context.clinic().name == "Northside Clinic") == (answer == "save")


def test_closing_with_a_setting_out_of_range_and_save_keeps_the_window_open(window, qtbot, context, monkeypatch):
    monkeypatch.setattr(settings_view, "ask_unsaved_settings", lambda parent: "save")
    settings = _settings_by_keyboard(window, qtbot)
    box = settings.fields["resolved_leg_nrs_max"]
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "11")
    window.close()
    assert window.isVisible() and box.text() == "11"  # refused in words, nothing lost
    assert "11 is not possible" in settings.form.errors["resolved_leg_nrs_max"].text()


def test_closing_with_nothing_changed_in_settings_asks_nothing(window, qtbot, monkeypatch):
    monkeypatch.setattr(settings_view, "ask_unsaved_settings", lambda parent: pytest.fail("asked with nothing typed"))
    _settings_by_keyboard(window, qtbot)
    window.close()
    assert not window.isVisible()
