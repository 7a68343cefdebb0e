"""Form helpers and form pieces shared by the wizard and the dialogs.

Every input gets an accessible name and a visible label (its buddy), and a
place beside it where a validation message appears in words.

Shared pieces:

* :class:`RedFlagScreen` and :class:`ActionBanner`: the red-flag questions grouped
  by what they screen for, yes / no / unknown each, and the "what to do now" banner.
  The intake wizard's red-flag page and the follow-up visit dialog both use them, so
  a question reads the same wherever it is asked.
* :class:`StartBackEntry`: the STarT Back Screening Tool, as its nine answers (wording
  from ``resources/instruments/start_back.toml``) or as totals, scored live by
  ``domain.instruments``.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
from decimal import Decimal
from typing import Any, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QApplication, QBoxLayout, QButtonGroup, QComboBox, QDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui.style import ErrorLabel  # noqa: F401 (re-exported: forms use it)

log = logging.getLogger("radiculopathy_desktop.ui")

NOT_RECORDED = "Not recorded"

#: A number as a number field takes it: the ASCII digits 0-9, an optional sign and decimal point.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
#: The same written with another script's digits (١١, １１): named, never read as a number.
_NUMBER_ANY_DIGITS = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class NumberField(QLineEdit):
    """A bounded number typed as text, never silently changed (red-team rt8 F1).

    A spin box refused the keystroke that took it out of its range and kept what came
    before: "11" typed as leg pain became 1, ODI "101" became 10, with no word said. Here
    what is typed stays in the field exactly: a number out of its range, or text that is
    not a number, is shown as a problem beside the field ("Leg pain is 0-10; 11 is not
    possible") as it is typed, and :meth:`problem` makes Next / Save refuse until it is
    fixed. Empty is "Not recorded" (its placeholder) where the value is optional. Up and
    Down step by one (Page Up / Page Down by ten) within the range, Down from the lowest
    value clears an optional field. ``value()`` is the number typed (even out of range, so a
    draft keeps it and the domain's check refuses it too), or None when empty or not a number.
    """

    valueChanged = Signal(object)

    def __init__(self, name: str, lo: float, hi: float, decimals: int = 0, optional: bool = True,
                 what: str | None = None, unit: str = "", parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.lo, self.hi, self._decimals, self.optional = lo, hi, decimals, optional
        self.what = what or name.split(",")[0].split(" (")[0]
        self.unit = unit
        #: said after "not a number" or "a whole number" (e.g. how to record an MRC "4+": gp16 F8)
        self.hint = ""
        self.error_label: ErrorLabel | None = None  # FieldForm.add supplies it
        self.field: str | None = None  # the case-JSON path (FieldForm.add)
        if optional:
            self.setPlaceholderText(NOT_RECORDED)
        self.setToolTip(f"{self.what}: {self.range_words()}"
                        + ("; leave empty when not recorded" if optional else "")
                        + ". Up / Down change it by one.")
        self._last = self.value()
        self.textChanged.connect(self._changed)

    # -- what the range is, in words
    def range_words(self) -> str:
        words = f"{_num(self.lo)}-{_num(self.hi)}"
        return words + (f" {self.unit}" if self.unit else "")

    def minimum(self):
        return self.lo

    def maximum(self):
        return self.hi

    def decimals(self) -> int:
        return self._decimals

    def lineEdit(self):  # noqa: N802 (a spin box's name: the field is its own line edit)
        return self

    # -- the value
    def _exact(self) -> Decimal | None:
        """The number typed, exactly as typed (decimal, not binary: "9.99999999999999999" is not
        10), or None when empty or not a number written with the digits 0-9."""
        text = self.text().strip()
        if not text or not _NUMBER.fullmatch(text):
            return None
        return Decimal(text)

    def _number(self) -> float | None:
        exact = self._exact()
        return None if exact is None else float(exact)

    def _kept_exactly(self, exact: Decimal) -> bool:
        """Whether the number the field gives (an int, or a float) is exactly the one typed."""
        if self._decimals == 0 and exact == exact.to_integral_value():
            return True
        return Decimal(repr(float(exact))) == exact

    def value(self):
        """The number typed (an int in a whole-number field), even out of range or not kept
        exactly: :meth:`problem` names those and nothing is saved while it does."""
        exact = self._exact()
        if exact is None:
            return None
        if self._decimals == 0 and exact == exact.to_integral_value():
            return int(exact)
        number = float(exact)
        if self._decimals == 0 and number.is_integer():
            # "9.99999999999999999" is not 10: the nearest float on its side of 10, so a draft
            # (or the domain's check) still sees a number that is not whole
            number = math.nextafter(number, math.inf if exact > Decimal(int(number)) else -math.inf)
        return number

    def setValue(self, value) -> None:  # noqa: N802 (the spin boxes' name, kept for callers)
        if isinstance(value, str):  # text kept from a draft: shown as it was typed, its problem beside it
            self.setText(value)
        else:
            self.setText("" if value is None else _num(value))

    def problem(self) -> str | None:
        """Why what is typed cannot be kept, in words, or None. Decided from the text as typed
        (decimal arithmetic): nothing typed is rounded into range or into a whole number."""
        text = self.text().strip()
        if not text:
            return None if self.optional else f"{self.what}: type a number ({self.range_words()})"
        exact = self._exact()
        if exact is None:
            if _NUMBER_ANY_DIGITS.fullmatch(text):
                return (f"Numbers are written with the digits 0-9; “{text}” is not possible ({self.what} is "
                        f"{self.range_words()})")
            if _huge(text):  # 1e308 kept in a draft, shown as written: out of range, not "not a number"
                return f"{self.what} is {self.range_words()}; {text} is not possible"
            return f"“{text}” is not a number: {self.what} is {self.range_words()}" + self._hint()
        if self._decimals == 0 and exact != exact.to_integral_value():
            return f"{self.what} is a whole number ({self.range_words()}); {text} is not possible" + self._hint()
        if not Decimal(repr(float(self.lo))) <= exact <= Decimal(repr(float(self.hi))):
            return f"{self.what} is {self.range_words()}; {text} is not possible"
        if not self._kept_exactly(exact):
            return f"{self.what}: {text} has more digits than can be kept; type fewer decimal places"
        return None

    def _hint(self) -> str:
        return f". {self.hint}" if self.hint else ""

    def check(self) -> bool:
        """Show (or clear) the problem beside the field."""
        problem = self.problem()
        if self.error_label is not None:
            self.error_label.show_message(problem)
        return problem is None

    def _changed(self, _text: str) -> None:
        self.check()
        value = self.value()
        if value != self._last:
            self._last = value
            self.valueChanged.emit(value)

    # -- the arrow keys
    def stepBy(self, steps: int) -> None:  # noqa: N802
        number = self._number()
        if number is None:
            if not self.text().strip() and steps > 0:
                self.setValue(self.lo)  # from "Not recorded" to the lowest value
            return  # text that is not a number stays as typed until the user changes it
        new = number + steps
        if new < self.lo:
            if self.optional and number <= self.lo:
                self.setValue(None)  # below the lowest: Not recorded
                return
            new = self.lo
        new = min(new, self.hi)
        self.setValue(new)
        self.selectAll()

    def keyPressEvent(self, event):  # noqa: N802
        steps = {Qt.Key_Up: 1, Qt.Key_Down: -1, Qt.Key_PageUp: 10, Qt.Key_PageDown: -10}.get(event.key())
        if steps is not None and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            self.stepBy(steps)
            event.accept()
            return
        super().keyPressEvent(event)


#: From here on a number is shown as 1e+308, not as its 309 digits (red-team rt9 F11): no
#: field takes one this large, and past 2**53 its digits are not exactly the number stored.
HUGE = 1e15


def _num(value) -> str:
    """A number as a person writes it: 7, 70.5, 0.85 (never 7.0 or 70.50000001); a huge one
    (a damaged draft's 1e308) as 1e+308."""
    value = float(value)
    if value.is_integer() and abs(value) < HUGE:
        return str(int(value))
    return repr(value)


def _huge(text: str) -> bool:
    """Whether ``text`` is a number too large for any field written with an exponent
    ("1e+308", as :func:`_num` shows it)."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+", text):
        return False
    try:
        return abs(float(text)) >= HUGE
    except (ValueError, OverflowError):
        return False


# The spin boxes' old names: every bounded number is a NumberField now.
ScoreSpinBox = ScoreDoubleSpinBox = NumberField


def spin(name: str, lo: int, hi: int, optional: bool = True, suffix: str = "", what: str | None = None,
         unit: str = "") -> NumberField:
    """A whole number from ``lo`` to ``hi`` (empty is "Not recorded" when ``optional``)."""
    return NumberField(name, lo, hi, 0, optional, what=what, unit=unit or suffix.strip())


def spin_value(box: NumberField):
    return box.value()


#: How a grade the field cannot hold is recorded: the case format keeps whole MRC grades 0-5
#: (Medical Research Council scale); a "4+" or "4-" typed from habit is refused with this.
MRC_HINT = "MRC grades are whole numbers 0-5: record 4+ or 4- as 4 and say which in the notes"


def set_spin(box: NumberField, value) -> None:
    box.setValue(value)


def dspin(name: str, lo: float, hi: float, decimals: int = 1, suffix: str = "", what: str | None = None,
          unit: str = "") -> NumberField:
    """A number from ``lo`` to ``hi`` typed with any decimals (kept as typed); empty is "Not recorded".

    ``decimals`` 0 still takes a decimal point (an ODI of 44.4 % from an unanswered section):
    only whole-number scales refuse one."""
    return NumberField(name, lo, hi, max(decimals, 1), True, what=what, unit=unit or suffix.strip())


def dspin_value(box: NumberField):
    value = box.value()
    return None if value is None else float(value)


def number_errors(widget: QWidget) -> list:
    """A FieldError for every number field under ``widget`` holding what cannot be kept
    (out of its range, or not a number): Next and Save refuse until each is fixed."""
    from radiculopathy_desktop.domain.intake import FieldError
    out = []
    for box in widget.findChildren(NumberField):
        problem = box.problem()
        if problem and box.field and box.isVisibleTo(widget):
            out.append(FieldError(box.field, problem))
    return out


# =========================================================================== dates
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WORDS_DMY = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})")
_WORDS_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")


def _month(word: str) -> int | None:
    word = word.lower()
    found = [n for n, m in enumerate(MONTH_NAMES, start=1) if m.startswith(word) and len(word) >= 3]
    return found[0] if len(found) == 1 else None


def read_date(text: str) -> tuple[dt.date | None, str | None]:
    """A typed date, or why it is not one. Never "corrects" it.

    Accepted: 2026-02-09 (ISO), 20260209, and the month in words (9 Feb 2026, Feb 9
    2026), which no clinic reads two ways. Day-first and month-first numbers (09/02/2026)
    are refused: a UK and a US reader take them for different days.
    """
    text = " ".join(text.split())
    if not text:
        return None, None
    parts = None
    if m := _ISO.fullmatch(text):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif m := _COMPACT.fullmatch(text):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif (m := _WORDS_DMY.fullmatch(text)) and _month(m[2]):
        parts = int(m[3]), _month(m[2]), int(m[1])
    elif (m := _WORDS_MDY.fullmatch(text)) and _month(m[1]):
        parts = int(m[3]), _month(m[1]), int(m[2])
    if parts is None:
        if m := _NUMERIC.fullmatch(text):
            return None, _numeric_date_problem(text, int(m[1]), int(m[2]), m[3])
        return None, f"“{text}” is not a date: type it as YYYY-MM-DD (for example 2026-03-01)"
    year, month, day = parts
    problem = _not_a_day(year, month, day)
    if problem:
        return None, f"“{text}” is not a real date: {problem}"
    return dt.date(year, month, day), None


_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})")
#: Why a numeric date is refused even when it can mean one day only (hazard H-UI-2).
SLASH_DATES_REFUSED = "dates of numbers with / or . are not taken (the UK and the US read them differently)"


def _not_a_day(year: int, month: int, day: int) -> str | None:
    """What is wrong with year-month-day ("there is no month 13", "February 2023 has 28 days"), or None."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year < 1:
        return f"there is no year {year}"
    if day < 1:
        return f"there is no day {day}"
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    if day > last:
        return f"{MONTH_NAMES[month - 1].capitalize()} {year} has {last} days"
    return None


def _numeric_date_problem(text: str, first: int, second: int, year_text: str) -> str:
    """Why a date of numbers only (31/12/1970) is refused, in the words that fit it (ui13): both
    readings real and different days, the one possible day (and its YYYY-MM-DD), or what is wrong
    with each reading. Never read as a date (H-UI-2)."""
    if len(year_text) != 4:
        return f"“{text}” is not taken: type the date as YYYY-MM-DD, with the year's four digits"
    year = int(year_text)
    day_first = _not_a_day(year, second, first)
    month_first = _not_a_day(year, first, second)
    if day_first is None and month_first is None and first != second:
        return f"“{text}” could be read day-first or month-first: type it as YYYY-MM-DD"
    if day_first is None or month_first is None:
        day = dt.date(year, second, first) if day_first is None else dt.date(year, first, second)
        said = f"{day.day} {MONTH_NAMES[day.month - 1].capitalize()} {day.year}"
        how = f"is {said} either way" if first == second else f"can only be {said}"
        return f"“{text}” {how}, but {SLASH_DATES_REFUSED}: type it as {day.isoformat()}"
    if day_first == month_first:
        return f"“{text}” is not a real date, read day-first or month-first: {day_first}"
    return f"“{text}” is not a real date: read day-first, {day_first}; read month-first, {month_first}"


class DateField(QLineEdit):
    """A date as one field to type (and one Tab stop), never silently changed.

    What was typed stays in the field: an impossible date (2026-02-30) is shown as a
    problem beside the field (``error_label``, which :class:`FieldForm` supplies) and is
    passed on as typed, so the domain's check refuses it by name. A date given in another
    accepted form is shown as YYYY-MM-DD when the field is left (the same day).
    ``dateChanged`` fires when the field holds a different real date.
    """

    dateChanged = Signal()

    def __init__(self, name: str, day: dt.date | None = None, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setToolTip("Type the date as YYYY-MM-DD (or 20260209, or 9 Feb 2026)")
        self.error_label: ErrorLabel | None = None
        self._last: dt.date | None = None
        self.set_day(day)
        self.textChanged.connect(self._changed)
        self.editingFinished.connect(self.check)

    def set_day(self, day: dt.date | str | None) -> None:
        """Show ``day`` (a date, or text kept from a draft, shown as it was typed)."""
        self.setText(day.isoformat() if isinstance(day, dt.date) else (day or ""))

    def day(self) -> dt.date | None:
        return read_date(self.text())[0]

    def problem(self) -> str | None:
        return read_date(self.text())[1]

    def value(self) -> str | None:
        """For the case JSON: the date as YYYY-MM-DD, or the text as typed when it is not a date."""
        day, _ = read_date(self.text())
        return day.isoformat() if day else (self.text().strip() or None)

    def check(self) -> bool:
        """Show (or clear) the problem beside the field; tidy a real date to YYYY-MM-DD."""
        day, problem = read_date(self.text())
        if day is not None and self.text() != day.isoformat():
            self.setText(day.isoformat())
        label = self.error_label
        if label is not None:
            if problem is not None:
                label.show_message(problem)
                self._own_message = label.text()
            elif self.text().strip() or label.isHidden() or label.text() == self._own_message:
                # a date typed, or this field's own earlier problem: cleared. An empty field leaves the
                # form's "This is required" beside it (gp18 F12: leaving the empty visit date, as
                # Next's focus to the first field to fix does, hid it while the count still said 3)
                label.show_message(None)
        return problem is None

    _own_message: str | None = None  # the label's text when this field last showed its own problem

    def _changed(self, _text: str) -> None:
        day = self.day()
        if day != self._last:
            self._last = day
            self.dateChanged.emit()


def date_edit(name: str, day: dt.date | None = None) -> DateField:
    return DateField(name, day)


def date_value(edit: DateField) -> str | None:
    return edit.value()


# The drop-down that takes typed letters only as the start of a choice lives in ui/choice.py (a
# small module: the worklist's first-run panel uses it without loading this one); kept importable here.
from radiculopathy_desktop.ui.choice import ChoiceBox, combo, set_combo  # noqa: E402,F401


# The keyboard rules live in ui/keyboard.py (a small module: the window installs them at its
# first paint or activation without loading this one); kept importable from here.
from radiculopathy_desktop.ui.keyboard import _BEHAVIOUR, KeyboardBehaviour, install_keyboard_behaviour  # noqa: E402,F401


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
            if isinstance(widget, (DateField, NumberField)):
                widget.error_label = err  # a date that is not one is named beside it as it is left
        if isinstance(widget, NumberField):
            widget.field = field
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
            # the field to fix shows the focus (gp16 F10: after "Mark at least one region" the focused
            # region box looked like any other, and the keys typed next went nowhere visible)
            first.window().setAttribute(Qt.WA_KeyboardFocusChange)
            first.setFocus()
        return left


_WORDS = {
    "patient.age_years or patient.birth_date is required": "Enter the birth date or the age",
}

#: The case format's top-level date fields, as the forms name them (gp20 F8: "Date is before
#: visit_date (2026-11-25 < 2026-12-01)" on the visit form).
_FIELD_WORDS = {"visit_date, the intake's date": "the intake's date", "visit_date": "the intake's visit date",
                "onset_date": "the onset date", "care_start_date": "the care start date"}
_BEFORE = re.compile(r"(before [^()]+?) \((\d{4}-\d{2}-\d{2}) < (\d{4}-\d{2}-\d{2})\)")


def _plain(message: str, field: str = "") -> str:
    """Field paths are for programs; people read the words after them."""
    message = _WORDS.get(message, message)
    if field and message.startswith(field + " "):
        message = "This" + message[len(field):]
    # ("e.g." and "i.e." are words, not paths: the clinician bound's "e.g. \"Dr A Patel, GP\"" read "g. ...")
    message = re.sub(r"\b[a-z_]+(\.[a-z_]+|\[\d+\])+\b",
                     lambda m: m.group(0) if m.group(0) in ("e.g", "i.e") else
                     m.group(0).rsplit(".", 1)[-1].replace("_", " "), message)
    for name, words in _FIELD_WORDS.items():
        message = re.sub(r"\b" + re.escape(name) + r"(?![\w.])", words, message)
    # "before the intake's date (2026-11-25 < 2026-12-01)": the date it must not precede, once
    message = _BEFORE.sub(lambda m: f"{m.group(1)} ({m.group(3)})", message)
    if message[1:2].isupper():  # "eGFR ...": a name spelled so stays so
        return message
    return message[0].upper() + message[1:] if message else message


class RadioGroup(QWidget):
    """An explicit choice with nothing preselected (e.g. yes / no / unknown)."""

    def __init__(self, name: str, options: tuple[tuple[str, str], ...], parent=None, vertical: bool = False,
                 letters: Mapping[str, str] | None = None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QBoxLayout(QBoxLayout.TopToBottom if vertical else QBoxLayout.LeftToRight, self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QRadioButton] = {}
        for code, label in options:
            button = QRadioButton(label)
            button.setAccessibleName(f"{name}: {label}")
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button, 0, Qt.AlignLeft if vertical else Qt.Alignment())  # a click beside it is not on it
        layout.addStretch(1)
        # A label's mnemonic and "focus the first problem" land on a button, never on the
        # container: the chosen one, else the first. ClickFocus (not NoFocus) lets a label's
        # mnemonic focus it; the group itself stays out of the Tab chain.
        self.setFocusPolicy(Qt.ClickFocus)
        self.group.buttonToggled.connect(self._update_proxy)
        self._update_proxy()
        self.vertical = vertical
        self.letters: dict[int, str] = {}
        for button in self.buttons.values():
            button.installEventFilter(self)  # the arrow keys (and the answer letters, if any)
        if letters:
            self.set_letters(letters)

    #: Where a one-key answer moves the focus instead of the next widget (the intake's last
    #: red-flag question: its Next button, rather than Start over, which follows it in Tab order).
    after_answer = None

    def set_letters(self, letters: Mapping[str, str]) -> None:
        """Answer with one key: ``{"y": "yes", ...}``; the key chooses and moves on to the next question."""
        self.letters = {getattr(Qt, f"Key_{k.upper()}"): code for k, code in letters.items() if code in self.buttons}

    def answer_with(self, key: int) -> bool:
        """Choose the answer of the letter ``key`` (a ``Qt.Key_*``) and move on to the next question,
        as Tab would (the last question: to :attr:`after_answer`); False when the key answers nothing here."""
        code = self.letters.get(key)
        if code is None:
            return False
        button = self.buttons[code]
        button.setChecked(True)
        target = self.after_answer
        if target is not None and target.isVisible() and target.isEnabled():
            target.setFocus(Qt.TabFocusReason)  # the last question: on to what comes next (Next), not past it
        else:
            button.setFocus(Qt.TabFocusReason)  # from wherever the key came: the chain goes on from here
            QApplication.sendEvent(button, QKeyEvent(QEvent.KeyPress, Qt.Key_Tab, Qt.NoModifier))  # on, as Tab would
        return True

    #: The arrows that move within the group: back and on, along its layout (the other two are left
    #: to the page, e.g. to scroll).
    def _arrows(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return ((Qt.Key_Up,), (Qt.Key_Down,)) if self.vertical else ((Qt.Key_Left,), (Qt.Key_Right,))

    def _arrow(self, obj, key: int) -> bool:
        """An arrow key on one of the buttons (gp16 F10): the focus moves to the neighbour along the
        group and chooses it, as a radio group does once it holds a choice. With nothing chosen yet
        the arrow chooses too (Alt+letter, then one arrow: a choice in one key), except in a group
        answered by letters (the red flags): there an answer is never made by moving through the
        question, so the arrow only moves and Space or the letter answers. At the first or last
        button the arrow stays; with nothing chosen it chooses the button it is on (when it may)."""
        back, on = self._arrows()
        if key not in back and key not in on:
            return False
        order = [b for b in self.buttons.values() if b.isEnabled() and not b.isHidden()]
        if obj not in order:
            return False
        step = -1 if key in back else 1
        where = order.index(obj) + step
        chosen = self.group.checkedButton() is not None
        may_choose = chosen or not self.letters
        if 0 <= where < len(order):
            target = order[where]
            target.setFocus(Qt.BacktabFocusReason if step < 0 else Qt.TabFocusReason)
            if may_choose:
                target.click()  # a user's choice: clicked and toggled, as a click is
        elif may_choose and not obj.isChecked():
            obj.click()
        return True

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.KeyPress and obj in self.buttons.values() \
                and not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            if self.letters and event.key() in self.letters:
                return self.answer_with(event.key())
            if not event.modifiers() & Qt.ShiftModifier and self._arrow(obj, event.key()):
                return True
        return super().eventFilter(obj, event)

    def _update_proxy(self, *_args) -> None:
        checked = self.group.checkedButton()
        self.setFocusProxy(checked or next(iter(self.buttons.values()), None))

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


# =========================================================================== red flags
ANSWER_OPTIONS = (("yes", "Yes"), ("no", "No"), ("unknown", "Unknown"))
ANSWER_WORDS = dict(ANSWER_OPTIONS)
ANSWER_LETTERS = {"y": "yes", "n": "no", "u": "unknown"}  # one key answers and moves on
NOT_ASKED = "not_asked"


def previous_answer_words(key: str, standing: Mapping[str, str],
                          answered_on: Mapping[str, tuple[str, dt.date]] | None = None) -> str:
    """What "Not asked" keeps, said as the previous answer, never as a current one (tryout31 D11:
    "(stands: No)" read like today's answer): "last answered No on 6 Oct 2026", "never answered"."""
    from radiculopathy_desktop.domain.vocabulary import clinic_date
    answer = standing.get(key)
    if answer is None:
        return "never answered"
    word = ANSWER_WORDS.get(answer, "Unknown")
    when = (answered_on or {}).get(key)
    return f"last answered {word} on {clinic_date(when[1])}" if when else f"last answered {word}"


def red_flag_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The red-flag questions as domain groups them (``triage.question_groups``).

    The screen must still show every question if the rule data cannot be read: then
    they are laid out in one group, in questionnaire order.
    """
    from radiculopathy_desktop.domain.triage import OTHER_RED_FLAGS, question_groups
    try:
        return question_groups()
    except Exception as exc:
        log.warning("red-flag grouping unavailable: %s", type(exc).__name__)
        return ((OTHER_RED_FLAGS, tuple(RED_FLAG_QUESTIONS)),)


class RedFlagScreen(QWidget):
    """The red-flag questions, grouped, each answered yes / no / unknown.

    ``standing`` switches on follow-up mode: each question also offers "Not asked",
    preselected and showing the answer that stands from earlier records, so only
    what was asked again is recorded. Without it (the intake) nothing is preselected:
    every question needs an explicit answer.

    ``errors`` and ``inputs`` are keyed by the case-JSON path (``<prefix>.<key>``) for
    the owner's :class:`FieldForm` to merge.
    """

    changed = Signal()

    def __init__(self, field_prefix: str = "red_flags", standing: Mapping[str, str] | None = None, parent=None,
                 answered_on: Mapping[str, tuple[str, dt.date]] | None = None):
        super().__init__(parent)
        self.follow_up = standing is not None
        self.groups: dict[str, RadioGroup] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, keys in red_flag_groups():
            box = QGroupBox(title)
            box.setAccessibleName(f"Red flags: {title}")
            form = FieldForm(box)
            for key in keys:
                question = RED_FLAG_QUESTIONS[key]
                options = ANSWER_OPTIONS
                name = question
                if standing is not None:
                    was = previous_answer_words(key, standing, answered_on)
                    options = ((NOT_ASKED, f"Not asked ({was})"),) + ANSWER_OPTIONS
                group = RadioGroup(name, options, letters=ANSWER_LETTERS)
                if standing is not None:
                    group.set_value(NOT_ASKED)
                    group.setAccessibleDescription(f"Previous answer: {was}")
                form.add(question + ":", group, f"{field_prefix}.{key}")
                group.group.buttonToggled.connect(self._toggled)
                self.groups[key] = group
            self.errors.update(form.errors)
            self.inputs.update(form.inputs)
            self.boxes[title] = box
            layout.addWidget(box)

    def _toggled(self, _button, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def answers(self) -> dict[str, str]:
        """The questions answered here (yes / no / unknown); not asked and blank are left out."""
        return {k: v for k, g in self.groups.items() if (v := g.value()) is not None and v != NOT_ASKED}

    def set_answers(self, answers: Mapping[str, str] | None) -> None:
        answers = answers or {}
        blank = NOT_ASKED if self.follow_up else None
        for key, group in self.groups.items():
            group.set_value(answers.get(key, blank))

    def set_standing(self, standing: Mapping[str, str],
                     answered_on: Mapping[str, tuple[str, dt.date]] | None = None) -> None:
        """Follow-up mode: show the previous answer (and its date, from ``answered_on``:
        ``Case.red_flags_answered_on``) beside "Not asked"."""
        if not self.follow_up:
            return
        for key, group in self.groups.items():
            was = previous_answer_words(key, standing, answered_on)
            button = group.buttons[NOT_ASKED]
            button.setText(f"Not asked ({was})")
            button.setAccessibleName(f"{group.accessibleName()}: Not asked ({was})")
            group.setAccessibleDescription(f"Previous answer: {was}")

    def unanswered(self) -> list[str]:
        return [k for k, g in self.groups.items() if g.value() is None]

    def first_button(self) -> QRadioButton:
        first = next(iter(self.groups.values()))
        return first.group.checkedButton() or next(iter(first.buttons.values()))


class MedicineAlertBanner(QLabel):
    """The assessment's current-medicine alerts (``medicine_alerts``: stop, change or reduce) as a
    red banner, laid out here and never recomputed. One widget for the case page and the intake's
    Review step (gp16 F2: a patient 32 weeks pregnant taking ibuprofen was "Contraindicated" only two
    pages down the Review step; the banner appeared only after Save)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setStyleSheet(style.banner_css("danger") + " QLabel { padding: 4px; }")
        self.hide()

    def show_alerts(self, alerts, unrecognised=()) -> None:
        """``alerts``: the assessment's ``medicine_alerts``; ``unrecognised``: its medications'
        ``unrecognised_detail`` (name, suggestion), each named here too: a medicine the list does
        not know is checked for nothing, and a misspelt "paracetmol 1g qds" beside co-codamol
        (8 g of paracetamol a day) was a grey line on the medicines step only (gp17 F3)."""
        unrecognised = [u for u in (unrecognised or ()) if u.get("name")]
        if not alerts and not unrecognised:
            self.clear()
            self.setAccessibleName("")
            self.hide()
            return
        from radiculopathy_desktop.domain.medicine_alerts import labelled
        from radiculopathy_desktop.domain.medicine_step import not_recognised_words
        lines = "".join(f"<li><b>{html.escape(a['status_label'])}:</b> {html.escape(labelled(a['status_label'], a['text']))}"
                        "</li>" for a in alerts)
        unknown = [f"“{u['name']}”" + (f" (did you mean {u['suggestion']}?)" if u.get("suggestion") else "")
                   for u in unrecognised]
        if unknown:  # the medicines step says the same words (intakemed)
            lines += f"<li><b>Not recognised:</b> {html.escape(not_recognised_words(unrecognised))}</li>"
        heads = []
        if alerts:
            # alerts, not medicines, are counted: one medicine may carry two alerts (gp20 F6: "5 current
            # medicines" for a man taking 3); said as both when they differ
            # avoidside (H-UI-481): a medicine an alert keeps (apixaban beside naproxen) is not one to stop or change
            meds = len({m.casefold() for a in alerts for m in a.get("medicines") or ()
                        if m not in (a.get("keep") or ())}) or len(alerts)
            if meds == len(alerts):
                heads.append(f"{meds} current medicine{'s' if meds != 1 else ''} to stop, change, reduce or review")
            else:
                heads.append(f"{len(alerts)} alert{'s' if len(alerts) != 1 else ''} on {meds} current "
                             f"medicine{'s' if meds != 1 else ''} to stop, change, reduce or review")
        if unknown:
            heads.append(f"{len(unknown)} not recognised")
        self.setText(f"<b>⚠ Medicine safety: {'; '.join(heads)}</b><ul style='margin:0'>{lines}</ul>")
        self.setAccessibleName("Medicine safety alerts: " + " ".join(
            [a["text"] for a in alerts] + ([f"Not recognised: {', '.join(unknown)}"] if unknown else [])))
        self.show()


class ActionBanner(QLabel):
    """What to do now, shown the moment an answer makes the case emergency or urgent."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setAccessibleName("What to do now")
        self.tier = "routine"
        self.hide()

    def show_triage(self, result, footer: str = "", lead: str = "") -> None:
        """Show ``result`` (a ``triage.TriageResult``); hide for routine."""
        from radiculopathy_desktop.domain.vocab import Tier

        self.tier = result.tier
        if result.tier == Tier.ROUTINE:
            self.hide()
            self.clear()
            self.setAccessibleDescription("")
            return
        tier = Tier(result.tier)
        words = tier.action_label  # as the CLI prints it
        bg, fg = style.kind_colours(tier)
        actions = "".join(f"<li>{html.escape(a.text)}</li>" for a in result.actions)
        self.setStyleSheet(f"background-color:{bg.name()}; color:{fg.name()}; border:3px solid {fg.name()};"
                           " padding:8px; border-radius:6px;")
        self.setText(f"{html.escape(lead)}<b>⚠ {words}:</b> {html.escape(result.headline())}<ol>{actions}</ol>"
                     + html.escape(footer))
        described = f"{words}: {result.headline()}"
        announce = self.isHidden() or self.accessibleDescription() != described
        self.setAccessibleDescription(described)
        self.show()
        if announce:  # said by a screen reader as it appears or changes, wherever the focus is
            from PySide6.QtGui import QAccessible, QAccessibleEvent
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def show_not_excluded(self, result, questions, lead: str = "") -> None:
        """A routine tier resting on cauda equina questions answered Unknown (gp14 G19): say
        that cauda equina syndrome has not been excluded and which questions to ask now. The
        questions are the engine's ``ask_now`` the caller narrowed to those answered Unknown;
        the action is the rule data's own "ask now" action with its sources."""
        from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

        self.tier = result.tier
        asked = "".join(f"<li>{html.escape(RED_FLAG_QUESTIONS.get(q, q))}</li>" for q in questions)
        actions = "".join(f"<li>{html.escape(a.text)}"
                          + (f" <i>({html.escape('; '.join(s.guideline for s in a.sources))})</i>" if a.sources else "")
                          + "</li>" for a in result.actions)
        from radiculopathy_desktop.domain.vocab import ReviewStatus
        bg, fg = style.kind_colours(ReviewStatus.ASK_RED_FLAGS)  # the worklist's colour for the same state
        self.setStyleSheet(f"background-color:{bg.name()}; color:{fg.name()}; border:3px solid {fg.name()};"
                           " padding:8px; border-radius:6px;")
        from radiculopathy_desktop.domain.triage import load_rules
        n = len(questions)
        # the rule data's own lead, the words its "ask now" action (and so the command line) starts with
        headline = (f"{load_rules().ask_now_lead}: {n} cauda equina question"
                    f"{'s are' if n > 1 else ' is'} answered Unknown. Ask now")
        self.setText(f"{html.escape(lead)}<b>⚠ {html.escape(result.tier_label)}:</b> {html.escape(headline)}:"
                     f"<ul>{asked}</ul>What to do now:<ol>{actions}</ol>")
        described = f"{result.tier_label}: {headline}: " + "; ".join(RED_FLAG_QUESTIONS.get(q, q) for q in questions)
        announce = self.isHidden() or self.accessibleDescription() != described
        self.setAccessibleDescription(described)
        self.show()
        if announce:
            from PySide6.QtGui import QAccessible, QAccessibleEvent
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))


# =========================================================================== STarT Back
START_BACK_MODES = {"answers": "The nine answers", "totals": "Totals only (when only the scores are known)"}
START_BACK_AGREE = (("disagree", "Disagree"), ("agree", "Agree"))


def start_back_wording() -> dict[str, Any]:
    """Item wording, options, instructions and copyright from the reviewed instrument data.

    When the data says the wording may not be shipped, items are shown by number only.
    """
    from radiculopathy_desktop.domain.instruments import instrument_metadata
    from radiculopathy_desktop.domain.intake import START_BACK_ITEM9
    meta = instrument_metadata("start_back")
    shipped = bool(meta.get("wording_shipped"))
    items = {int(i["number"]): i for i in meta.get("items", ())}
    texts = {n: (str(items[n]["text"]) if shipped and n in items else f"Item {n} (use your licensed copy)")
             for n in range(1, 10)}
    labels = {o.get("code"): o.get("label") for o in (items.get(9) or {}).get("options", ())}
    item9 = tuple((code, str(labels.get(code) or code.replace("_", " ").capitalize())) for code in START_BACK_ITEM9)
    agree = meta.get("agree_labels") or ("Disagree", "Agree")
    return {"texts": texts, "item9": item9,
            "agree": (("disagree", str(agree[0])), ("agree", str(agree[1]))),
            "instructions": str(meta.get("instructions", "")) if shipped else "",
            "copyright": str(meta.get("copyright", "")), "name": str(meta.get("name", "STarT Back Screening Tool"))}


class StartBackEntry(QGroupBox):
    """STarT Back: the nine answers (scored live), or the totals when only those are known.

    ``data()`` gives the case-JSON ``start_back`` object or None when nothing was
    entered. Answers mode carries the nine answers (unanswered items as None, which the
    owner reports via :meth:`extra_errors`) plus the total and psychosocial (distress)
    subscore they give; totals mode carries what was typed.
    """

    changed = Signal()

    def __init__(self, field_prefix: str = "start_back", parent=None):
        words = start_back_wording()
        super().__init__(words["name"], parent)
        self.setAccessibleName(words["name"])
        self.prefix = field_prefix
        self.errors: dict[str, ErrorLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        top = FieldForm()
        self.mode = top.add("STarT Back &entered as:", combo("How STarT Back is entered", START_BACK_MODES, "answers"))
        layout.addLayout(top)

        self.answers_panel = QWidget()
        alayout = QVBoxLayout(self.answers_panel)
        alayout.setContentsMargins(0, 0, 0, 0)
        if words["instructions"]:
            intro = QLabel(words["instructions"])
            intro.setWordWrap(True)
            alayout.addWidget(intro)
        self.items: list[RadioGroup] = []
        for n in range(1, 10):
            text = words["texts"][n]
            label = QLabel(f"&{n}. {text.replace('&', '&&')}")
            label.setTextFormat(Qt.PlainText)
            label.setWordWrap(True)
            options = words["agree"] if n < 9 else words["item9"]
            group = RadioGroup(f"STarT Back item {n}: {text}", options)
            label.setBuddy(group)
            row = QHBoxLayout()
            row.addWidget(group, 1)
            err = ErrorLabel()
            row.addWidget(err, 1)
            alayout.addWidget(label)
            alayout.addLayout(row)
            field = f"{field_prefix}.answers[{n - 1}]"
            self.errors[field] = err
            self.inputs[field] = group
            group.group.buttonToggled.connect(self._toggled)
            self.items.append(group)
        clear_row = QHBoxLayout()
        self.clear_button = QPushButton("Cle&ar answers")
        self.clear_button.setAccessibleName("Clear the STarT Back answers")
        self.clear_button.clicked.connect(self.clear_answers)
        clear_row.addWidget(self.clear_button)
        clear_row.addStretch(1)
        alayout.addLayout(clear_row)
        layout.addWidget(self.answers_panel)

        self.totals_panel = QWidget()
        tform = FieldForm(self.totals_panel)
        tform.setContentsMargins(0, 0, 0, 0)
        self.total = tform.add("STarT Back &total (0-9):", spin("STarT Back total score, 0 to 9", 0, 9),
                               f"{field_prefix}.total")
        self.distress = tform.add("Psychosocial (&distress) subscore, items 5-9 (0-5):",
                                  spin("STarT Back psychosocial (distress) subscore, 0 to 5", 0, 5),
                                  f"{field_prefix}.distress")
        self.errors.update(tform.errors)
        self.inputs.update(tform.inputs)
        for box in (self.total, self.distress):
            box.valueChanged.connect(self._update)
        layout.addWidget(self.totals_panel)

        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.RichText)
        self.result.setAccessibleName("STarT Back result")
        self.result.setFrameShape(QLabel.StyledPanel)
        layout.addWidget(self.result)
        if words["copyright"]:
            note = QLabel(words["copyright"])
            note.setWordWrap(True)
            note.setAccessibleName("STarT Back copyright")
            layout.addWidget(note)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()

    # -- state
    def current_mode(self) -> str:
        return self.mode.currentData()

    def set_mode(self, mode: str) -> None:
        set_combo(self.mode, mode)
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        answers = self.current_mode() == "answers"
        self.answers_panel.setVisible(answers)
        self.totals_panel.setVisible(not answers)
        self._update()

    def _toggled(self, _button, checked: bool) -> None:
        if checked:
            self._update()

    def item_values(self) -> list:
        """Items 1-8 True (agree) / False / None; item 9 its code or None."""
        out: list = []
        for n, group in enumerate(self.items):
            value = group.value()
            out.append(value if n == 8 or value is None else value == "agree")
        return out

    def answered(self) -> int:
        return sum(v is not None for v in self.item_values())

    def clear_answers(self) -> None:
        for group in self.items:
            group.set_value(None)
        self._update()
        self.changed.emit()

    def scored(self):
        """The ``StartBackResult`` for what is entered, or None (incomplete); may raise InstrumentError."""
        from radiculopathy_desktop.domain.instruments import score_start_back_answers, score_start_back_totals
        if self.current_mode() == "answers":
            values = self.item_values()
            return score_start_back_answers(values) if all(v is not None for v in values) else None
        total, distress = spin_value(self.total), spin_value(self.distress)
        if total is None or distress is None:
            return None
        return score_start_back_totals(total, distress)

    def _update(self, *_args) -> None:
        from radiculopathy_desktop.domain.instruments import InstrumentError
        answers = self.current_mode() == "answers"
        try:
            result = self.scored()
        except InstrumentError as exc:
            self._show_result(f"⚠ {html.escape(str(exc))}", str(exc))
            self.changed.emit()
            return
        if result is None:
            if answers:
                n = self.answered()
                text = ("Not recorded. The score appears when all nine items are answered "
                        "(or choose “Totals only” when only the scores are known)." if n == 0 else
                        f"{n} of 9 answered: the score appears when all nine are answered.")
            else:
                text = "Not recorded. Enter the total and the psychosocial (distress) subscore."
            self._show_result(html.escape(text), text)
        else:
            risk = f"{result.risk.capitalize()} risk"
            plain = (f"Total {result.total} of 9; psychosocial subscore {result.distress} of 5 (items 5-9): {risk}."
                     + "".join(" " + n for n in result.notes))
            kind = {"low": "ok", "medium": "warning", "high": "danger"}.get(result.risk, "neutral")
            self._show_result(f"Total <b>{result.total}</b> of 9 · psychosocial subscore <b>{result.distress}</b> of 5 "
                              f"(items 5-9) · <span style=\"{style.badge_css(kind)}\"><b>{risk}</b></span>"
                              + "".join(f"<br>⚠ {html.escape(n)}" for n in result.notes), plain)
        self.changed.emit()

    def _show_result(self, rich: str, plain: str) -> None:
        self.result.setText(rich)
        self.result.setAccessibleDescription(plain)

    # -- case JSON
    def data(self) -> dict | None:
        if self.current_mode() == "totals":
            sb = {k: v for k, v in (("total", spin_value(self.total)), ("distress", spin_value(self.distress)))
                  if v is not None}
            return sb or None
        values = self.item_values()
        if all(v is None for v in values):
            return None
        out: dict[str, Any] = {"answers": values}
        if all(v is not None for v in values):
            from radiculopathy_desktop.domain.instruments import score_start_back_answers
            result = score_start_back_answers(values)
            out["total"], out["distress"] = result.total, result.distress
        return out

    def load(self, sb: Mapping[str, Any] | None) -> None:
        sb = sb or {}
        answers = sb.get("answers")
        answers = list(answers) if isinstance(answers, (list, tuple)) and len(answers) == 9 else None
        for n, group in enumerate(self.items):
            value = answers[n] if answers else None
            if n < 8 and isinstance(value, bool):
                value = "agree" if value else "disagree"
            group.set_value(value)
        if answers and any(v is not None for v in answers):
            set_spin(self.total, None)
            set_spin(self.distress, None)
            self.set_mode("answers")
        elif sb.get("total") is not None or sb.get("distress") is not None:
            set_spin(self.total, sb.get("total"))
            set_spin(self.distress, sb.get("distress"))
            self.set_mode("totals")
        else:
            set_spin(self.total, None)
            set_spin(self.distress, None)
            self.set_mode("answers")

    def extra_errors(self) -> list:
        """Each unanswered item once the nine answers are started (the parser cannot see a blank)."""
        from radiculopathy_desktop.domain.intake import FieldError
        if self.current_mode() != "answers":
            return []
        values = self.item_values()
        if all(v is None for v in values):
            return []
        return [FieldError(f"{self.prefix}.answers[{n}]",
                           "Answer this item, or press Clear answers if STarT Back was not done")
                for n, v in enumerate(values) if v is None]
