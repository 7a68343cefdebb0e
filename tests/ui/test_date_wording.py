"""The words of a refused numeric date (walk-through ui11): "could be read day-first or
month-first" only when both readings are real, different days; a date that can mean one day
only names that day and its YYYY-MM-DD form; one that is no real day either way says what is
wrong with each reading. Numeric dates stay refused (H-UI-2): nothing is ever guessed.

Boundaries from the calendar: 12 months; 31 days in December; February 29 days in a leap year
(2024: divisible by 4) and 28 in a common year (2023), 28 in 1900 (a century not divisible by
400) and 29 in 2000."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.ui.forms import read_date

from .keyboard import focus, tab, tab_until, type_here

REFUSED = "dates of numbers with / or . are not taken (the UK and the US read them differently)"
BOTH = "could be read day-first or month-first: type it as YYYY-MM-DD"


@pytest.mark.parametrize("text, said", [
    # both readings real and different: the ambiguous case keeps its message
    ("04/05/1970", f"“04/05/1970” {BOTH}"),
    ("12/11/1970", f"“12/11/1970” {BOTH}"),
    ("01/12/1970", f"“01/12/1970” {BOTH}"),
    ("28/02/2023", "“28/02/2023” can only be 28 February 2023, but " + REFUSED + ": type it as 2023-02-28"),
    # the same day either way
    ("12/12/1970", f"“12/12/1970” is 12 December 1970 either way, but {REFUSED}: type it as 1970-12-12"),
    ("01/01/2000", f"“01/01/2000” is 1 January 2000 either way, but {REFUSED}: type it as 2000-01-01"),
    # one reading only: 13 and 31 are no month
    ("13/12/1970", f"“13/12/1970” can only be 13 December 1970, but {REFUSED}: type it as 1970-12-13"),
    ("31/12/1970", f"“31/12/1970” can only be 31 December 1970, but {REFUSED}: type it as 1970-12-31"),
    ("12/13/1970", f"“12/13/1970” can only be 13 December 1970, but {REFUSED}: type it as 1970-12-13"),
    ("12/31/1970", f"“12/31/1970” can only be 31 December 1970, but {REFUSED}: type it as 1970-12-31"),
    ("31.12.1970", f"“31.12.1970” can only be 31 December 1970, but {REFUSED}: type it as 1970-12-31"),
    # 29 February: a leap year has it, a common year does not
    ("29/02/2024", f"“29/02/2024” can only be 29 February 2024, but {REFUSED}: type it as 2024-02-29"),
    ("02/29/2024", f"“02/29/2024” can only be 29 February 2024, but {REFUSED}: type it as 2024-02-29"),
    ("29/02/2000", f"“29/02/2000” can only be 29 February 2000, but {REFUSED}: type it as 2000-02-29"),
    ("29/02/2023", "“29/02/2023” is not a real date: read day-first, February 2023 has 28 days; "
                   "read month-first, there is no month 29"),
    ("02/29/2023", "“02/29/2023” is not a real date: read day-first, there is no month 29; "
                   "read month-first, February 2023 has 28 days"),
    ("29/02/1900", "“29/02/1900” is not a real date: read day-first, February 1900 has 28 days; "
                   "read month-first, there is no month 29"),
    # no real day either way
    ("31/31/1970", "“31/31/1970” is not a real date, read day-first or month-first: there is no month 31"),
    ("13/13/1970", "“13/13/1970” is not a real date, read day-first or month-first: there is no month 13"),
    ("00/12/1970", "“00/12/1970” is not a real date: read day-first, there is no day 0; "
                   "read month-first, there is no month 0"),
    ("31/04/1970", "“31/04/1970” is not a real date: read day-first, April 1970 has 30 days; "
                   "read month-first, there is no month 31"),
    # a two-digit year is never expanded
    ("31/12/70", "“31/12/70” is not taken: type the date as YYYY-MM-DD, with the year's four digits"),
])
def test_a_numeric_date_is_refused_in_the_words_that_fit_it(text, said):
    assert read_date(text) == (None, said)


@pytest.mark.parametrize("text, said", [
    ("2024-02-29", None), ("2023-02-29", "“2023-02-29” is not a real date: February 2023 has 28 days"),
    ("2000-02-29", None), ("1900-02-29", "“1900-02-29” is not a real date: February 1900 has 28 days"),
    ("1970-12-31", None), ("1970-12-32", "“1970-12-32” is not a real date: December 1970 has 31 days"),
    ("1970-13-01", "“1970-13-01” is not a real date: there is no month 13"),
    ("1970-12-00", "“1970-12-00” is not a real date: there is no day 0"),
])
def test_the_accepted_forms_say_what_is_wrong_at_the_boundaries(text, said):
    day, problem = read_date(text)
    assert problem == said
    assert (day is None) == (said is not None)


def test_the_intake_names_the_one_day_and_the_form_it_takes(window, qtbot):
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    page = window.views["intake"].pages[0]
    tab_until(qtbot, lambda w: w is page.birth)
    type_here(qtbot, "31/12/1970")
    tab(qtbot)
    error = page.form.errors["patient.birth_date"]
    assert error.isVisible()
    assert error.text().endswith(f"“31/12/1970” can only be 31 December 1970, but {REFUSED}: type it as 1970-12-31")
    assert "day-first or month-first" not in error.text()
    assert page.birth.text() == "31/12/1970" and page.birth.day() is None  # kept as typed, never read
    page.birth.setFocus()
    assert focus() is page.birth
    type_here(qtbot, "1970-12-31")  # what the message says to type
    tab(qtbot)
    assert not error.isVisible() and page.birth.day() is not None and page.birth.day().isoformat() == "1970-12-31"
