"""Small form helpers shared by the wizard and the dialogs.

Every input gets an accessible name and a visible label (its buddy), and a
place beside it where a validation message appears in words.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDateEdit, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QRadioButton, QSpinBox, QWidget)

from radiculopathy_desktop.ui import style

NOT_RECORDED = "Not recorded"


def spin(name: str, lo: int, hi: int, optional: bool = True, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setAccessibleName(name)
    if optional:
        box.setRange(lo - 1, hi)
        box.setSpecialValueText(NOT_RECORDED)
        box.setValue(lo - 1)
    else:
        box.setRange(lo, hi)
    if suffix:
        box.setSuffix(suffix)
    return box


def spin_value(box: QSpinBox):
    if box.specialValueText() and box.value() == box.minimum():
        return None
    return box.value()


def set_spin(box: QSpinBox, value) -> None:
    box.setValue(box.minimum() if value is None else int(value))


def dspin(name: str, lo: float, hi: float, decimals: int = 1, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setAccessibleName(name)
    box.setDecimals(decimals)
    box.setRange(lo - 1, hi)
    box.setSpecialValueText(NOT_RECORDED)
    box.setValue(lo - 1)
    if suffix:
        box.setSuffix(suffix)
    return box


def dspin_value(box: QDoubleSpinBox):
    return None if box.value() == box.minimum() else round(box.value(), box.decimals())


def date_edit(name: str, day: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(day) if day else QDate.currentDate())
    return edit


def date_value(edit: QDateEdit) -> str:
    return edit.date().toPython().isoformat()


def combo(name: str, options: dict[str, str] | tuple, current: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    items = options.items() if isinstance(options, dict) else ((o, o.replace("_", " ").capitalize()) for o in options)
    for code, label in items:
        box.addItem(label, code)
    if current is not None:
        set_combo(box, current)
    return box


def set_combo(box: QComboBox, code) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)


class ErrorLabel(QLabel):
    """The reason beside a field, in words (with a warning mark, not colour alone)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str | None) -> None:
        if message:
            bg, fg = style.kind_colours("danger")
            self.setStyleSheet(f"color: {fg.name()}; background-color: {bg.name()}; padding: 2px 4px;")
            self.setText("⚠ " + message)
            self.setAccessibleName("Problem: " + message)
            self.show()
        else:
            self.clear()
            self.hide()


class FieldForm(QFormLayout):
    """A form whose rows carry an error label keyed by the case-JSON field path."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.errors: dict[str, ErrorLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)

    def add(self, label: str, widget: QWidget, field: str | None = None) -> QWidget:
        text = QLabel(label)
        text.setBuddy(widget)  # no word wrap: wrapped form labels get clipped vertically
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(widget, 1)
        if field:
            err = ErrorLabel()
            row.addWidget(err, 1)
            self.errors[field] = err
            self.inputs[field] = widget
        self.addRow(text, holder)
        return widget

    def clear_errors(self) -> None:
        for err in self.errors.values():
            err.show_message(None)

    def show_errors(self, errors) -> list:
        """Show each FieldError beside its field; return the ones with no field here."""
        self.clear_errors()
        left = []
        first = None
        for error in errors:
            label = self.errors.get(error.field)
            if label is None:
                # a parent path ("patient.age_years" for "patient.birth_date" rows) or unknown
                match = next((k for k in self.errors if error.field.startswith(k + ".") or error.field.startswith(k + "[")), None)
                label = self.errors.get(match) if match else None
            if label is None:
                left.append(error)
                continue
            text = label.text()[2:] + "; " if label.isVisible() else ""
            label.show_message(text + _plain(error.message, error.field))
            first = first or self.inputs.get(error.field)
        if first is not None:
            first.setFocus()
        return left


_WORDS = {
    "patient.age_years or patient.birth_date is required": "Enter the birth date or the age",
}


def _plain(message: str, field: str = "") -> str:
    """Field paths are for programs; people read the words after them."""
    message = _WORDS.get(message, message)
    if field and message.startswith(field + " "):
        message = "This" + message[len(field):]
    message = re.sub(r"\b[a-z_]+(\.[a-z_]+|\[\d+\])+\b", lambda m: m.group(0).rsplit(".", 1)[-1].replace("_", " "),
                     message)
    return message[0].upper() + message[1:] if message else message


class RadioGroup(QWidget):
    """An explicit choice with nothing preselected (e.g. yes / no / unknown)."""

    def __init__(self, name: str, options: tuple[tuple[str, str], ...], parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QRadioButton] = {}
        for code, label in options:
            button = QRadioButton(label)
            button.setAccessibleName(f"{name}: {label}")
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        layout.addStretch(1)

    def value(self) -> str | None:
        for code, button in self.buttons.items():
            if button.isChecked():
                return code
        return None

    def set_value(self, code: str | None) -> None:
        if code in self.buttons:
            self.buttons[code].setChecked(True)
        else:
            self.group.setExclusive(False)
            for b in self.buttons.values():
                b.setChecked(False)
            self.group.setExclusive(True)
