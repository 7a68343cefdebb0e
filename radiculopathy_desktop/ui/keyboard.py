"""The window's keyboard rules, as one application event filter (:class:`KeyboardBehaviour`).

A small module on its own: the main window installs the rules at its first paint or
activation (ui/main_window.py), and importing the forms module for them would cost the
start-up its widgets' enums. ``ui.forms`` re-exports these names.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
import sys

from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDialog,
                               QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QTextEdit)


class KeyboardBehaviour(QObject):
    """Keyboard rules for every window of the app (an application event filter).

    * A button's mnemonic (Alt+letter) presses it at once; a tick box's or an option's
      also gives it the focus. Qt "animates" the click and
      presses it 100 ms later, so text typed straight after went to the field that still
      had focus (Alt+M, Add medicine, then a medicine name changed another answer).
    * Return or Enter on a focused push button presses it, in a page as in a dialog
      (Qt does so only inside dialogs; a dialog keeps Qt's own rule, where a button
      that is not auto-default leaves Return to the dialog's default, e.g. Cancel).
    * Alt+letter never types the letter (red-team rt8 F5). An X11 keyboard sends Alt+B
      with the text "b"; when no live mnemonic takes it (Back is disabled on the intake's
      first step) a line edit inserted it: the Patient ID "P-ALTB" became "P-ALTBbb". A
      key press with Alt (without Ctrl: AltGr on Windows is Ctrl+Alt and types characters)
      is not text for a field; macOS, where Option types characters, is left as it is.
    """

    def eventFilter(self, obj, event):  # noqa: N802
        kind = event.type()
        if kind == QEvent.KeyPress and _ALT_TYPES and event.modifiers() & Qt.AltModifier \
                and not event.modifiers() & (Qt.ControlModifier | Qt.MetaModifier) \
                and event.text() and event.text().isprintable() and isinstance(obj, TEXT_INPUTS):
            _unmatched_alt(obj, event)
            return True  # not typed; a live mnemonic or shortcut has already had its chance
        if kind == QEvent.Shortcut and isinstance(obj, QAbstractButton) and not event.isAmbiguous() \
                and obj.isEnabled():
            if isinstance(obj, (QCheckBox, QRadioButton)) and obj.focusPolicy() & Qt.TabFocus:
                # a tick box or an option is a field: the focus goes to it, so what is typed next
                # is not typed into the field left (gp17 F14: Alt+E ticked "Red flags re-screened"
                # and the next text went into Back pain)
                obj.setFocus(Qt.ShortcutFocusReason)
            obj.click()
            return True
        if kind == QEvent.KeyPress and isinstance(obj, QPushButton) and not obj.autoDefault() \
                and not isinstance(obj.window(), QDialog) \
                and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                and not event.modifiers() & ~Qt.KeypadModifier and obj.isEnabled() and obj.hasFocus():
            obj.click()
            return True
        return False


def _unmatched_alt(obj, event) -> None:
    """An Alt+letter no mnemonic took, offered to the first parent with ``unmatched_alt_key``
    (the lock screen: a window that is not active gets no mnemonics, gp17 F9)."""
    widget = obj.parentWidget()
    while widget is not None:
        hook = getattr(widget, "unmatched_alt_key", None)
        if hook is not None:
            hook(event)
            return
        widget = widget.parentWidget()


#: The widgets where a key press types text.
TEXT_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QComboBox)
_ALT_TYPES = sys.platform != "darwin"  # Option+letter is a character on macOS

_BEHAVIOUR: list[KeyboardBehaviour] = []


def install_keyboard_behaviour() -> None:
    """Install :class:`KeyboardBehaviour` on the application, once."""
    app = QApplication.instance()
    if app is None or any(b.parent() is app for b in _BEHAVIOUR):
        return
    behaviour = KeyboardBehaviour(app)
    app.installEventFilter(behaviour)
    _BEHAVIOUR.append(behaviour)
