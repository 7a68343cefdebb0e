"""A visit or decision being typed is kept on disk, offered at the next start, and saved once.

visit16 left this alone: a visit or decision dialog typed before the window locked lived in
memory only (the window refuses to close while locked), so when the operating system ended
the session (logout, shutdown) the typed values were lost; a crash while typing lost them too.
Now the dialog writes what is typed to the data folder's drafts (``offline-drafts/writes``,
0600 in a 0700 folder, the same files as a save that could not reach the clinic server) shortly
after each change and at once when the window locks. The next start offers it in words (whose
case, what, when), and its write key makes it saved once whichever Save comes first.
"""

from __future__ import annotations

import json
import logging
import stat

from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import offline_drafts

from .conftest import TODAY
from .keyboard import focus, type_here
from .test_lock import set_passphrase, unlock
from .window_steps import open_decision_dialog, open_visit_dialog

CASE = "P-NFU-case"  # Nico Nofollow, no visit yet
NAME = "Nico Nofollow"


def _kept(context):
    return offline_drafts.kept_writes(context.data_dir)


def _typed_visit(window, qtbot, leg="3", notes="Walks 20 minutes"):
    dialog = open_visit_dialog(window, qtbot, CASE)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # &Leg pain now
    type_here(qtbot, leg)
    dialog.notes.setFocus()
    qtbot.keyClicks(dialog.notes, notes)
    return dialog


def _restart(qtbot, context):
    """The next start on the same data folder: a new window and context (nothing of the old session's memory)."""
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow
    again = AppContext(store=context.store, hub=EventHub(), data_dir=context.data_dir, today=lambda: TODAY)
    window = MainWindow(again)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.kept_bar is not None)
    if window.lock.locked:  # a lock is set: it starts locked, and nothing of a patient shows until unlocked
        assert not window.kept_bar.isVisible()
        window.activateWindow()
        unlock(window, qtbot)
        assert not window.lock.locked
    qtbot.waitUntil(lambda: window.kept_bar.isVisible())
    return window, again


def _visits(context):
    return context.store.get_case(CASE).visits


def test_what_is_typed_is_written_to_the_drafts_folder_owner_only(window, qtbot, context, caplog):
    caplog.set_level(logging.DEBUG)
    dialog = _typed_visit(window, qtbot)
    qtbot.waitUntil(lambda: len(_kept(context)) == 1)  # written after typing stops (no clock asserted)
    qtbot.waitUntil(lambda: _kept(context)[0].data.get("notes") == "Walks 20 minutes")
    kept = _kept(context)[0]
    assert kept.key == dialog.write_key and kept.case_id == CASE and kept.kind == "visit"
    assert kept.why == offline_drafts.UNSAVED and kept.patient == NAME and kept.data["leg_nrs"] == 3
    path = context.data_dir / "offline-drafts" / "writes" / f"{kept.key}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert NAME not in caplog.text and "Walks" not in caplog.text


def test_locking_writes_it_at_once_and_the_next_start_offers_it_naming_the_case(window, qtbot, context, caplog):
    caplog.set_level(logging.DEBUG)
    set_passphrase(window, qtbot).close()
    dialog = _typed_visit(window, qtbot, leg="6", notes="Worse since Friday")
    dialog._keep_timer.stop()  # the lock itself writes it, not the timer
    assert _kept(context) == [] or _kept(context)[0].data.get("notes") != "Worse since Friday"
    qtbot.keyClick(dialog.notes, Qt.Key_L, Qt.ControlModifier)  # Ctrl+L: locked
    assert window.lock.locked and not dialog.isVisible()
    kept = _kept(context)
    assert len(kept) == 1 and kept[0].data["leg_nrs"] == 6 and kept[0].data["notes"] == "Worse since Friday"
    # the session ends here (the OS logs out; nothing more runs): the next start offers it
    again, again_context = _restart(qtbot, context)
    bar = again.kept_bar
    assert "typed and not saved" in bar.label.text() and "locked or closed" in bar.label.text()
    assert NAME in bar.label.text() and CASE in bar.label.text()  # whose case, before opening anything
    review = bar.review()
    qtbot.waitExposed(review)
    line = review.list.item(0).text()
    assert NAME in line and CASE in line and "Visit of" in line and "leg pain 6" in line
    assert "Typed and not saved" in line and "server" not in review.save_button.text()
    # typed under the OS login before anyone identified; the next start's unlock says "AB": asked first (gp17 F14)
    assert _kept(context)[0].user != review.context.user == "AB"
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    assert "Not saved yet" in review.result.text() and not _visits(context)
    qtbot.mouseClick(review.save_button, Qt.LeftButton)  # "Save under my name (AB)"
    assert [v.leg_nrs for v in _visits(context)] == [6] and _kept(context) == []
    assert "Saved: 1." in review.result.text() or not review.isVisible()
    assert NAME not in caplog.text and "Worse" not in caplog.text
    # the old session's dialog, if it were still there, would not save it a second time
    unlock(window, qtbot)
    qtbot.keyClick(dialog.notes, Qt.Key_Return, Qt.ControlModifier)
    assert [v.leg_nrs for v in _visits(context)] == [6]


def test_a_crash_while_typing_loses_nothing(window, qtbot, context):
    """Nothing closes: the app simply ends after the typing (the copy written on change is what is left)."""
    _typed_visit(window, qtbot, leg="5", notes="Sleeping better")
    qtbot.waitUntil(lambda: bool(_kept(context)) and _kept(context)[0].data.get("notes") == "Sleeping better")
    again, _ = _restart(qtbot, context)
    review = again.kept_bar.review()
    qtbot.waitExposed(review)
    assert NAME in review.list.item(0).text()


def test_the_crash_guard_keeps_it_at_once(window, qtbot, context):
    from radiculopathy_desktop.ui.drafts import typed_records
    dialog = _typed_visit(window, qtbot, leg="2", notes="Back at work")
    dialog._keep_timer.stop()
    assert typed_records(window) == [dialog]
    assert all(d.save_draft_now() for d in typed_records(window))
    assert _kept(context)[0].data["notes"] == "Back at work"


def test_saving_the_dialog_leaves_nothing_kept_and_saves_once(window, qtbot, context):
    dialog = _typed_visit(window, qtbot)
    qtbot.waitUntil(lambda: len(_kept(context)) == 1)
    qtbot.keyClick(dialog.notes, Qt.Key_Return, Qt.ControlModifier)  # Ctrl+Return saves
    assert [v.leg_nrs for v in _visits(context)] == [3]
    assert _kept(context) == []
    dialog.save_draft_now()  # a late timer or lock after the save keeps nothing
    assert _kept(context) == []


def test_discarding_the_dialog_leaves_nothing_kept(window, qtbot, context):
    dialog = _typed_visit(window, qtbot)
    qtbot.waitUntil(lambda: len(_kept(context)) == 1)
    qtbot.keyClick(dialog.notes, Qt.Key_Escape)  # discard (the suite answers the question "discard")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert _kept(context) == [] and _visits(context) == ()


def test_typing_back_to_nothing_removes_the_copy(window, qtbot, context):
    dialog = _typed_visit(window, qtbot, notes="x")
    qtbot.waitUntil(lambda: len(_kept(context)) == 1)
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClick(dialog.leg, Qt.Key_Delete)
    dialog.notes.setFocus()
    qtbot.keyClick(dialog.notes, Qt.Key_Backspace)
    qtbot.waitUntil(lambda: _kept(context) == [])


def test_a_dialog_still_open_is_not_offered_by_the_bar(window, qtbot, context):
    """The bar (here: built by a kept item of an earlier session) never lists the copy of a dialog
    still open in this window: that one is saved from its dialog."""
    older = offline_drafts.KeptWrite(
        key=offline_drafts.new_write_key(), kind="visit", case_id="P-DUE-case", data={"date": TODAY.isoformat(),
                                                                                     "leg_nrs": 4},
        user="AB", typed_at="2026-03-01T10:00:00+00:00",
        based_on=offline_drafts.case_digest(context.store.get_case("P-DUE-case")), patient="Dana Due",
        why=offline_drafts.UNSAVED)
    assert offline_drafts.keep_write(context.data_dir, older)
    again, again_context = _restart(qtbot, context)
    dialog = open_visit_dialog(again, qtbot, CASE)
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)
    type_here(qtbot, "7")
    qtbot.waitUntil(lambda: len(_kept(context)) == 2)
    again.kept_bar.refresh()
    assert [w.key for w in again.kept_bar.kept()] == [older.key]
    dialog.discard()


def test_the_decision_dialog_is_kept_too(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    dialog = open_decision_dialog(window, qtbot, CASE)
    qtbot.keyClick(focus(), Qt.Key_Down)  # the second choice, by arrow
    dialog.by.setFocus()
    qtbot.keyClicks(dialog.by, "Dr Lee")
    qtbot.keyClick(dialog.by, Qt.Key_L, Qt.ControlModifier)
    assert window.lock.locked
    kept = _kept(context)
    assert len(kept) == 1 and kept[0].kind == "decision" and kept[0].data["by"] == "Dr Lee"
    assert kept[0].data["kind"] == list(dialog.kind.buttons)[1]
    data = json.loads((context.data_dir / "offline-drafts" / "writes" / f"{kept[0].key}.json").read_text())
    assert data["why"] == "unsaved"
