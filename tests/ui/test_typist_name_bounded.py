"""The typist's name is bounded and refused, never cut or cleaned silently (misc20 leftover, sav21).

misc20 put the name a kept copy says typed it (``typed_as``) into the audit detail with no length
limit and no check of what it holds, and the name typed in Switch user (the audit's ``user``) had
its line breaks and tabs made spaces silently. Both now follow one rule
(``storage.access.typist_name_problem`` / ``validate_user_name``): 1-40 characters, on one line,
no control or invisible format character (a right-to-left override U+202E makes the audit and the
lists read otherwise than what was stored). The limit is said where the name is typed; a name
breaking it is refused naming why and what was typed stays; a kept copy naming such a typist is
set aside, listed with the reason, and nothing from it is saved. Driven by keys as a user types.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.ui import offline_drafts
from radiculopathy_desktop.ui.lock import SwitchUserDialog

from .conftest import TODAY
from .test_kept_visit_typed_by_another import CASE, _alt_s, _dialog, _keep, _visits

CTRL_SHIFT = Qt.ControlModifier | Qt.ShiftModifier


def _switch_user(window, qtbot):
    qtbot.keyClick(window, Qt.Key_U, CTRL_SHIFT)
    [dialog] = [d for d in window.findChildren(SwitchUserDialog) if d.isVisible()]
    return dialog


def _type(qtbot, widget, text):
    """Key by key; a character QTest cannot name (U+202E) is sent as a key event carrying it."""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.KeyPress, QEvent.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key_unknown, Qt.NoModifier, ch))


def test_switch_user_says_the_limit_refuses_41_characters_and_takes_40(window, qtbot, context):
    before = context.user
    dialog = _switch_user(window, qtbot)
    labels = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "at most 40 characters" in labels
    _type(qtbot, dialog.name, "A" * 41)
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.isVisible() and "at most 40 characters" in dialog.error.text() and "has 41" in dialog.error.text()
    assert dialog.name.text() == "A" * 41  # what was typed stays, to correct
    assert context.user == before  # nothing changed
    qtbot.keyClick(dialog.name, Qt.Key_Backspace)  # the boundary: 40 is taken
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert not dialog.isVisible() and context.user == "A" * 40


def test_switch_user_refuses_a_right_to_left_override_naming_it(window, qtbot, context):
    before = context.user
    dialog = _switch_user(window, qtbot)
    _type(qtbot, dialog.name, "Dr \u202ennA")
    assert "\u202e" in dialog.name.text()
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.isVisible() and "U+202E" in dialog.error.text()
    assert context.user == before
    assert not [e for e in context.store.audit() if e.action == "user_identified" and "\u202e" in e.user]


def test_a_pasted_line_break_is_refused_not_made_a_space(window, qtbot, context):
    """A name pasted with a line break (QLineEdit keeps it as typed): refused, never joined silently."""
    before = context.user
    dialog = _switch_user(window, qtbot)
    dialog.name.setText("Dr Ann\nSmith")
    if "\n" not in dialog.name.text():  # a platform's line edit that drops it: nothing to refuse
        pytest.skip("this line edit does not keep a pasted line break")
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.isVisible() and "U+000A" in dialog.error.text() and context.user == before


@pytest.mark.parametrize("typist, why", [
    ("D" * 41, "at most 40 characters (this one has 41)"),
    ("Dr Ann\nDr Ben", "U+000A"),
    ("Dr \u202ennA", "U+202E"),
])
def test_a_kept_copy_naming_a_typist_the_record_may_not_keep_is_set_aside_and_listed(qtbot, context, typist, why):
    context.set_user("Dr Ben")
    _keep(context, typist)
    review = _dialog(qtbot, context)
    text = "\n".join(review.list.item(i).text() for i in range(review.list.count()))
    assert "A kept item that cannot be read" in text and why in text and "Nothing in it was saved" in text
    assert offline_drafts.kept_writes(context.data_dir) == [] and _visits(context) == []


def test_a_kept_copy_naming_a_40_character_typist_is_saved_and_audited_as_typed(qtbot, context):
    """The boundary: 40 characters is a name the record keeps."""
    context.set_user("Dr Ben")
    _keep(context, "D" * 40)
    review = _dialog(qtbot, context)
    _alt_s(qtbot, review)  # asked first: typed by another
    _alt_s(qtbot, review)  # Save under my name
    assert len(_visits(context)) == 1
    [entry] = [e for e in context.store.audit(CASE) if e.action == "visit_added"]
    assert entry.user == "Dr Ben" and entry.detail["typed_as"] == "D" * 40


@pytest.mark.parametrize("typist", ["E" * 41, "Dr Ann\r\nX", "Dr\u202eAnn", "Dr\u2066Ann"])
def test_the_store_refuses_such_a_typist_and_saves_nothing(context, typist):
    before = len(context.store.get_case(CASE).visits)
    with pytest.raises(UserError) as caught:
        context.store.add_visit(CASE, FollowUpVisit(date=TODAY - dt.timedelta(days=1), leg_nrs=3), user="Dr Ben",
                                typed_as=typist)
    assert "cannot be recorded" in str(caught.value) and "Nothing was saved" in str(caught.value)
    assert len(context.store.get_case(CASE).visits) == before
