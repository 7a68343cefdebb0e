"""The Settings page refuses a clinic name or address holding a direction override or an
invisible character (red-team rt10 F8), naming it, and saves nothing; a Persian clinic
name with its ZWNJ and an address of several lines are saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _paste_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key_A, Qt.ControlModifier)
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key_V, Qt.ControlModifier)


def test_the_settings_page_refuses_hidden_characters_in_the_clinic_details(window, qtbot, context):
    settings = window.show_view("settings")
    _paste_into(qtbot, settings.clinic_name, "Clinic\u202eX")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    shown = settings.message.text()  # the whole message, the character named (not only its last part)
    assert settings.message.isVisible()
    assert "\u201cClinic name\u201d holds U+202E RIGHT-TO-LEFT OVERRIDE (character 7)" in shown and "\u202e" not in shown, shown
    assert "invisible" in shown
    assert not settings.saved_label.text() and context.store.clinic_settings().name == ""
    assert settings.clinic_name.text() == "Clinic\u202eX"  # kept to fix
    persian = "\u06a9\u0644\u06cc\u0646\u06cc\u06a9 \u0645\u06cc\u200c\u062e"
    _paste_into(qtbot, settings.clinic_name, persian)
    _paste_into(qtbot, settings.clinic_address, "1 High St\nTel\u200b 0123")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert "U+200B ZERO WIDTH SPACE" in settings.message.text()
    assert context.store.clinic_settings().name == ""
    _paste_into(qtbot, settings.clinic_address, "1 High St\nTel 0123")
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    clinic = context.store.clinic_settings()
    assert clinic.name == persian and clinic.address == "1 High St\nTel 0123"
