"""Lock settings: one rule for the idle minutes when "Lock when idle" is unticked (red-team
rt9 F9). Unticked, the greyed field shows the stored idle time at once (visibly) and is not
saved, so a stale number cannot block the save and letters are never silently replaced at
Save; ticked again, what was typed comes back with its problem named, and is refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.storage import access

PASS = "blue harbour lantern"


def _type_into(qtbot, box, text):
    box.setFocus(Qt.TabFocusReason)
    box.selectAll()
    if text:
        qtbot.keyClicks(box, text)
    else:
        qtbot.keyClick(box, Qt.Key_Delete)


@pytest.fixture
def lock_dialog(window, qtbot, context):
    """The lock turned on (idle locking on at its stored time), then Lock settings opened again."""
    first = window.open_lock_settings()
    qtbot.waitExposed(first)
    qtbot.keyClicks(first.new, PASS)
    qtbot.keyClicks(first.again, PASS)
    first.idle_check.setChecked(True)
    assert first.save()
    first.close()
    dialog = window.open_lock_settings()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


@pytest.mark.parametrize("typed", ["999", "0", "2.5", "abc", "", "15"])
def test_unticked_the_minutes_show_the_stored_time_and_are_not_saved(lock_dialog, qtbot, context, typed):
    dialog = lock_dialog
    stored = access.load_config(context.store)
    assert stored.enabled and stored.idle_lock
    _type_into(qtbot, dialog.idle_minutes, typed)
    qtbot.mouseClick(dialog.idle_check, Qt.LeftButton)  # untick
    assert not dialog.idle_check.isChecked() and not dialog.idle_minutes.isEnabled()
    shown = dialog.idle_minutes.text()
    assert shown == str(stored.idle_minutes)  # visibly the stored time, before any Save
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    after = access.load_config(context.store)
    assert not after.idle_lock and after.idle_minutes == stored.idle_minutes
    assert dialog.idle_minutes.text() == shown  # nothing changed at Save
    assert dialog.done_label.text().startswith("Saved") and not dialog.error.text()


@pytest.mark.parametrize("typed, words", [("999", "999 is not possible"), ("abc", "“abc” is not a number"),
                                          ("2.5", "is a whole number")])
def test_ticked_again_what_was_typed_comes_back_and_is_refused(lock_dialog, qtbot, context, typed, words):
    dialog = lock_dialog
    stored = access.load_config(context.store)
    _type_into(qtbot, dialog.idle_minutes, typed)
    qtbot.mouseClick(dialog.idle_check, Qt.LeftButton)  # untick: the stored time shows
    assert dialog.idle_minutes.text() == str(stored.idle_minutes)
    qtbot.mouseClick(dialog.idle_check, Qt.LeftButton)  # tick again: what was typed, as typed
    assert dialog.idle_minutes.isEnabled() and dialog.idle_minutes.text() == typed
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert words in dialog.error.text() and dialog.idle_minutes.text() == typed
    assert access.load_config(context.store) == stored


def test_a_refused_minutes_error_goes_when_idle_locking_is_unticked_and_the_save_then_works(
        lock_dialog, qtbot, context):
    dialog = lock_dialog
    _type_into(qtbot, dialog.idle_minutes, "999")
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "999 is not possible" in dialog.error.text()
    qtbot.mouseClick(dialog.idle_check, Qt.LeftButton)
    assert not dialog.error.text()
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not access.load_config(context.store).idle_lock


def test_ticked_a_valid_time_is_saved(lock_dialog, qtbot, context):
    dialog = lock_dialog
    _type_into(qtbot, dialog.idle_minutes, str(access.IDLE_MINUTES_MAX))
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    after = access.load_config(context.store)
    assert after.idle_lock and after.idle_minutes == access.IDLE_MINUTES_MAX
