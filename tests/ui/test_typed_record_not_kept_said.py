"""The visit dialog says at once when what is typed cannot be kept on this computer (red team
rt17 F13, id18, H-UI-282).

Before: ``save_draft_now`` only logged "could not be kept" (the kind of error, never the
patient); the dialog showed nothing, so the clinician believed the visit was protected against
a crash or a session ended while the window was locked (key17), and it was not. Now the dialog
says so under the form as soon as a keep fails, and the words go once a keep succeeds again.
A lone surrogate no longer makes the keep fail at all (tests/storage/test_lone_surrogate_typed.py);
this is the user's view of any other failure (the data folder not writable).
"""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import offline_drafts
from radiculopathy_desktop.ui.dialogs import VisitDialog

from .keyboard import focus, type_here
from .window_steps import open_visit_dialog

CASE = "P-NFU-case"  # Nico Nofollow, no visit yet


def _shown(dialog) -> str:
    return dialog.general_error.text() if dialog.general_error.isVisible() else ""


@pytest.mark.allow_log_warnings(logger="radiculopathy_desktop.ui")
def test_a_visit_that_cannot_be_kept_is_said_at_once_then_cleared_when_it_can(window, qtbot, context, caplog):
    caplog.set_level(logging.WARNING)
    drafts = context.data_dir / offline_drafts.FOLDER
    drafts.write_text("not a folder", encoding="utf-8")  # the drafts folder cannot be made: every keep fails
    try:
        dialog = open_visit_dialog(window, qtbot, CASE)
        qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
        type_here(qtbot, "3")
        dialog.notes.setFocus()
        qtbot.keyClicks(dialog.notes, "Walks 20 minutes")
        qtbot.waitUntil(lambda: VisitDialog.NOT_KEPT in _shown(dialog))
        assert _shown(dialog).startswith("⚠ Not kept on this computer")
        assert "Nico" not in caplog.text and "Walks" not in caplog.text  # the log names no patient
    finally:
        drafts.unlink()  # the folder can be made again: the next keep succeeds and the words go
    qtbot.keyClicks(dialog.notes, " with a stick")
    qtbot.waitUntil(lambda: len(offline_drafts.kept_writes(context.data_dir)) == 1)
    qtbot.waitUntil(lambda: _shown(dialog) == "")
    assert offline_drafts.kept_writes(context.data_dir)[0].data["notes"] == "Walks 20 minutes with a stick"


def test_nothing_is_said_while_keeping_works(window, qtbot, context):
    """Boundary: a keep that succeeds shows nothing."""
    dialog = open_visit_dialog(window, qtbot, CASE)
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, "Walks 20 minutes")
    qtbot.waitUntil(lambda: len(offline_drafts.kept_writes(context.data_dir)) == 1)
    assert _shown(dialog) == ""
