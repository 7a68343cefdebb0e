"""Step 1's error count is the number of messages the user sees (gp18 F12).

gp18 F12: for a male patient, Tab pressed once too many put 80 into Height, 175 into Symptoms
started and a space into Visit date. The line read "⚠ 3 things to fix on this step before going on
(shown beside each field)", and only two messages were beside fields: Visit date (holding a space)
showed nothing until the next Ctrl+Return. Cause: Next moves the focus to the first field to fix;
leaving the empty visit date ran its own check (an empty date is no typing error) and that check
hid the form's "This is required" beside it.

Each test types wrong things by keys, presses Ctrl+Return (Next), and checks that the number said
equals the messages on screen (beside fields, plus any listed in the line), and that each message
expected is there.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from .keyboard import focus, tab, tab_until
from .test_intake_open_case import _open_intake
from .test_wizard_back_next_keys import alt


def _shown(label) -> bool:
    return not label.isHidden() and bool(label.text())


def _said_count(wiz) -> int:
    found = re.search(r"(\d+) things? to fix on this step", wiz.page_error.text())
    assert found, wiz.page_error.text()
    return int(found.group(1))


def _messages_seen(page) -> dict[str, str]:
    return {key: label.text() for key, label in page.form.errors.items() if _shown(label)}


def _patient(qtbot, wiz, pid="GP-12", age="44"):
    p = wiz.pages[0]
    qtbot.keyClicks(focus(), pid)
    tab_until(qtbot, lambda w: w is p.age)
    qtbot.keyClicks(focus(), age)
    return p


def _type(qtbot, text):
    focus().selectAll()
    qtbot.keyClicks(focus(), text)


def _next(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def _count_is_what_is_seen(wiz, page):
    seen = _messages_seen(page)
    listed = wiz.page_error.text().split("before going on", 1)[1]
    listed_n = len([x for x in listed.split(":", 1)[1].split(";")]) if listed.startswith(":") else 0
    assert _said_count(wiz) == len(seen) + listed_n, (wiz.page_error.text(), seen)
    return seen


def test_gp18s_three_wrong_fields_are_three_messages(window, qtbot):
    wiz = _open_intake(window, qtbot)
    p = _patient(qtbot, wiz)
    alt(qtbot, "e")  # H&eight, then Tab once too many: Symptoms started, Visit date
    assert focus() is p.height
    _type(qtbot, "80")
    tab(qtbot)
    assert focus() is p.onset
    _type(qtbot, "175")
    tab(qtbot)
    assert focus() is p.visit
    _type(qtbot, " ")
    _next(qtbot)
    assert wiz.index == 0
    seen = _count_is_what_is_seen(wiz, p)
    assert _said_count(wiz) == 3
    assert "80 is not possible" in seen["patient.height_cm"]
    assert "175" in seen["onset_date"]
    assert "required" in seen["visit_date"]  # kept when the focus left it for Height
    assert "(shown beside each field)" in wiz.page_error.text()


def test_only_the_emptied_visit_date_is_one_message(window, qtbot):
    """Boundary: one wrong field, the one whose message used to vanish."""
    wiz = _open_intake(window, qtbot)
    p = _patient(qtbot, wiz)
    alt(qtbot, "t")
    qtbot.keyClicks(focus(), "2026-02-20")
    tab(qtbot)
    _type(qtbot, "")
    qtbot.keyClick(focus(), Qt.Key_Backspace)
    _next(qtbot)
    seen = _count_is_what_is_seen(wiz, p)
    assert list(seen) == ["visit_date"] and _said_count(wiz) == 1
    assert "1 thing to fix" in wiz.page_error.text()


def test_two_wrong_fields_two_messages_and_the_count_follows_a_fix(window, qtbot):
    wiz = _open_intake(window, qtbot)
    p = _patient(qtbot, wiz)
    alt(qtbot, "e")
    _type(qtbot, "80")
    tab(qtbot)
    _type(qtbot, "2026-02-20")  # a good onset
    tab(qtbot)
    _type(qtbot, "2026-13-45")  # not a date
    _next(qtbot)
    seen = _count_is_what_is_seen(wiz, p)
    assert set(seen) == {"patient.height_cm", "visit_date"} and _said_count(wiz) == 2
    alt(qtbot, "e")
    _type(qtbot, "180")  # Height fixed: its message goes, the count follows
    seen = _count_is_what_is_seen(wiz, p)
    assert set(seen) == {"visit_date"} and _said_count(wiz) == 1


def test_an_empty_required_date_and_a_wrong_date_are_two(window, qtbot):
    wiz = _open_intake(window, qtbot)
    p = _patient(qtbot, wiz)
    alt(qtbot, "t")
    _type(qtbot, "yesterday")  # not a date
    tab(qtbot)
    _type(qtbot, "")
    qtbot.keyClick(focus(), Qt.Key_Backspace)
    _next(qtbot)
    seen = _count_is_what_is_seen(wiz, p)
    assert set(seen) == {"onset_date", "visit_date"} and _said_count(wiz) == 2


def test_a_typed_date_still_clears_its_own_message_on_leaving(window, qtbot):
    """The fix keeps a required message on an empty date; a date typed there still clears it."""
    wiz = _open_intake(window, qtbot)
    p = _patient(qtbot, wiz)
    alt(qtbot, "t")
    qtbot.keyClicks(focus(), "2026-02-20")
    tab(qtbot)
    _type(qtbot, "")
    qtbot.keyClick(focus(), Qt.Key_Backspace)
    _next(qtbot)
    assert _shown(p.form.errors["visit_date"])
    p.visit.setFocus()
    qtbot.keyClicks(focus(), "2026-02-21")
    tab(qtbot)
    assert not _shown(p.form.errors["visit_date"])
