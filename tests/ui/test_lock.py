"""The passphrase lock, driven as a clinician would: set it in Lock settings, lock with
Ctrl+L, nothing patient-related readable while locked, unlock with initials and the
passphrase, and whatever was being typed is still there afterwards."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from radiculopathy_desktop.storage import access
from radiculopathy_desktop.ui.lock import LockSettingsDialog, SwitchUserDialog, retry_delay

from .conftest import seed_cases
from .window_steps import open_visit_dialog

PASS = "blue harbour lantern"
CTRL_SHIFT = Qt.ControlModifier | Qt.ShiftModifier
PATIENT_TEXT = [c["patient"]["name"] for c in seed_cases()] + [c["patient"]["id"] for c in seed_cases()]


def _press(qtbot, window, key, modifiers=Qt.NoModifier) -> None:
    """A window shortcut typed by the clinician. Shortcuts reach the active window only, and
    on a loaded machine the window becomes active again some time after a dialog closes
    (an event of its own): give it that time first, as a user's next key press would have."""
    if QApplication.activeModalWidget() is None and QApplication.activeWindow() is not window:
        window.activateWindow()
        try:
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)
        except Exception:  # the assertion that follows says what did not happen
            pass
    qtbot.keyClick(window, key, modifiers)


def open_lock_settings(window, qtbot) -> LockSettingsDialog:
    _press(qtbot, window, Qt.Key_L, CTRL_SHIFT)
    dialogs = [d for d in window.findChildren(LockSettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1, "Ctrl+Shift+L opens Lock settings"
    qtbot.waitExposed(dialogs[0])
    return dialogs[0]


def set_passphrase(window, qtbot, passphrase: str = PASS) -> LockSettingsDialog:
    dialog = open_lock_settings(window, qtbot)
    qtbot.keyClicks(dialog.new, passphrase)
    qtbot.keyClicks(dialog.again, passphrase)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    return dialog


def unlock(window, qtbot, who: str = "AB", passphrase: str = PASS) -> None:
    screen = window.lock.screen
    qtbot.keyClicks(screen.user_edit, who)
    qtbot.keyClick(screen.user_edit, Qt.Key_Tab)
    qtbot.keyClicks(screen.pass_edit, passphrase)
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)


def readable_text(root: QWidget) -> str:
    """Everything a person could read in the visible widgets of ``root``."""
    out = [root.windowTitle()]
    for w in [root] + root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QLineEdit) and w.echoMode() == QLineEdit.Normal:
            out.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            out.append(w.toPlainText())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            out += [str(m.index(r, c).data() or "") for r in range(min(m.rowCount(), 50))
                    for c in range(m.columnCount())]
        out.append(w.accessibleName())
    return "\n".join(out)


def assert_locked_and_hidden(window) -> None:
    assert window.lock.locked
    screen = window.lock.screen
    assert screen.isVisible() and screen.geometry() == window.rect()
    assert not window.centralWidget().isVisible()
    assert not window.views["worklist"].isVisible()
    assert not window.menuBar().isEnabled()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [window], [w.windowTitle() for w in visible]
    text = readable_text(window)
    leaked = [t for t in PATIENT_TEXT if t in text]
    assert leaked == [], leaked
    assert window.windowTitle().endswith("locked")


@pytest.fixture
def locked_store(store):
    access.set_passphrase(store, PASS, PASS, user="setup")
    return store


def test_set_passphrase_lock_unlock_and_audit_who_viewed(window, qtbot, context):
    assert window.user_label.text().startswith("User: ")
    dialog = set_passphrase(window, qtbot)
    assert "The lock is on" in dialog.done_label.text()
    assert access.load_config(context.store).enabled
    dialog.close()

    window.open_case("P-DUE-case")  # a patient on screen
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    assert_locked_and_hidden(window)
    assert "Dana Due" not in window.windowTitle()
    # shortcuts do nothing behind the lock
    _press(qtbot, window, Qt.Key_1, Qt.ControlModifier)
    _press(qtbot, window, Qt.Key_E, Qt.ControlModifier)
    assert_locked_and_hidden(window)

    unlock(window, qtbot, "AB", "not the passphrase")
    screen = window.lock.screen
    assert window.lock.locked
    assert "not right" in screen.error.text()
    assert screen.pass_edit.text() == ""  # never left in the field

    assert screen.user_edit.text() == "AB"  # kept for the next try
    screen.user_edit.clear()
    unlock(window, qtbot, "", PASS)  # nobody said who they are
    assert window.lock.locked and "name or initials" in screen.error.text()

    unlock(window, qtbot, "AB", PASS)
    assert not window.lock.locked
    assert window.centralWidget().isVisible() and window.patient_view.isVisible()
    assert window.menuBar().isEnabled()
    assert context.user == "AB"
    assert window.user_label.text() == "User: AB"
    actions = [(e.user, e.action) for e in context.store.audit()[-3:]]
    # "AB" was not a name the record knew when the passphrase was wrong: the failed try is not
    # written under text typed before the passphrase was right (gp17 F9)
    assert actions == [("unknown user", "unlock_failed"), ("AB", "unlocked"), ("AB", "case_viewed")]

    window.show_view("worklist")
    window.open_case("P-NFU-case")
    viewed = [e for e in context.store.audit("P-NFU-case") if e.action == "case_viewed"]
    assert [(e.user, e.case_id) for e in viewed] == [("AB", "P-NFU-case")]


def test_ctrl_l_without_a_passphrase_offers_to_set_one(window, qtbot):
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    assert not window.lock.locked
    dialog = [d for d in window.findChildren(LockSettingsDialog) if d.isVisible()]
    assert len(dialog) == 1
    assert any("No passphrase is set" in label.text() for label in dialog[0].findChildren(QLabel))
    assert "does not encrypt the database file" in readable_text(dialog[0])
    dialog[0].close()


def test_short_or_mismatched_passphrase_is_refused_with_the_reason(window, qtbot, context):
    dialog = set_passphrase(window, qtbot, "short")
    assert "at least 8 characters" in dialog.error.text()
    assert not access.load_config(context.store).enabled
    dialog.new.clear()
    dialog.again.clear()
    qtbot.keyClicks(dialog.new, PASS)
    qtbot.keyClicks(dialog.again, PASS + "x")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "different" in dialog.error.text()
    assert not access.load_config(context.store).enabled
    dialog.close()


def test_turning_the_lock_off_requires_the_passphrase(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    dialog = open_lock_settings(window, qtbot)
    assert dialog.off_button.isVisible() and dialog.current.isVisible()
    qtbot.keyClicks(dialog.current, "a wrong guess")
    qtbot.mouseClick(dialog.off_button, Qt.LeftButton)
    assert "not right" in dialog.error.text()
    assert access.load_config(context.store).enabled
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.off_button, Qt.LeftButton)
    assert not access.load_config(context.store).enabled
    assert dialog.done_label.text() == "The lock is off."
    dialog.close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)  # nothing to lock with now
    assert not window.lock.locked
    for d in window.findChildren(LockSettingsDialog):
        d.close()


def test_changing_the_passphrase_needs_the_old_one(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    dialog = open_lock_settings(window, qtbot)
    qtbot.keyClicks(dialog.current, "wrong wrong")
    qtbot.keyClicks(dialog.new, "green meadow kettle")
    qtbot.keyClicks(dialog.again, "green meadow kettle")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "not right" in dialog.error.text()
    assert access.verify_passphrase(context.store, PASS)
    assert dialog.current.text() == "" and dialog.focusWidget() is dialog.current
    assert dialog.new.text() == "green meadow kettle"  # the new one is kept while the old is typed again
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert access.verify_passphrase(context.store, "green meadow kettle")
    dialog.close()


def test_half_typed_visit_survives_lock_and_unlock(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    dialog = open_visit_dialog(window, qtbot, "P-DUE-case")
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "4")
    qtbot.keyClicks(dialog.notes, "Walking 20 minutes a day")
    qtbot.keyClick(dialog.notes, Qt.Key_L, Qt.ControlModifier)  # Ctrl+L from inside the dialog
    assert_locked_and_hidden(window)
    assert not dialog.isVisible()
    unlock(window, qtbot, "CD")
    assert dialog.isVisible()
    assert dialog.leg.value() == 4 and dialog.notes.toPlainText() == "Walking 20 minutes a day"
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.LeftButton)
    added = [e for e in context.store.audit("P-DUE-case") if e.action == "visit_added"]
    assert [e.user for e in added] == ["CD"]


def test_intake_draft_saved_at_lock(window, qtbot, context):
    from radiculopathy_desktop.ui import wizard as wizard_module
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    qtbot.keyClicks(wiz.pages[0].pid, "P-LOCKED")
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    draft = context.store.load_draft(wizard_module.DRAFT_KEY)
    assert draft is not None and "P-LOCKED" in json.dumps(draft)
    unlock(window, qtbot)
    assert wiz.isVisible() and wiz.pages[0].pid.text() == "P-LOCKED"


def test_app_starts_locked_when_a_lock_is_set(qtbot, context, locked_store):
    from radiculopathy_desktop.ui.main_window import MainWindow
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    assert_locked_and_hidden(w)
    qtbot.waitUntil(lambda: w.lock.screen.user_edit.hasFocus())
    assert context.user == "(not identified)"
    unlock(w, qtbot, "EF")
    assert w.views["worklist"].isVisible()
    assert context.user == "EF" and w.user_label.text() == "User: EF"


def test_a_case_opened_while_locked_opens_for_whoever_unlocks(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    context.hub.open_case.emit("P-OVR-case")
    assert_locked_and_hidden(window)
    assert [e for e in context.store.audit("P-OVR-case") if e.action == "case_viewed"] == []
    unlock(window, qtbot, "GH")
    assert window.patient_view.isVisible() and window.patient_view.case_id == "P-OVR-case"
    viewed = [e.user for e in context.store.audit("P-OVR-case") if e.action == "case_viewed"]
    assert viewed == ["GH"]


def test_wrong_passphrases_slow_down_but_never_lock_out(window, qtbot, context):
    assert [retry_delay(n) for n in range(1, 10)] == [0, 0, 1, 2, 4, 8, 16, 30, 30]
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    screen = window.lock.screen
    screen.second_ms = 10  # a test does not wait whole seconds
    qtbot.keyClicks(screen.user_edit, "AB")
    for attempt in range(1, 5):
        qtbot.keyClicks(screen.pass_edit, f"guess number {attempt}")
        qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
        if retry_delay(attempt):
            assert not screen.unlock_button.isEnabled() and not screen.pass_edit.isEnabled()
            assert "try again in" in screen.error.text()
            qtbot.keyClick(screen.user_edit, Qt.Key_Return)  # ignored while waiting
            qtbot.waitUntil(lambda: screen.unlock_button.isEnabled(), timeout=2000)
            assert "try again now" in screen.error.text()
        else:
            assert screen.unlock_button.isEnabled()
    assert window.lock.failures == 4
    qtbot.keyClicks(screen.pass_edit, PASS)
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
    assert not window.lock.locked and window.lock.failures == 0
    failed = [e for e in context.store.audit() if e.action == "unlock_failed"]
    assert len(failed) == 4 and all("guess" not in json.dumps(e.detail) for e in failed)


def test_passphrase_never_in_logs_audit_or_database(window, qtbot, context, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    unlock(window, qtbot, "AB", "wrong " + PASS)
    window.lock.screen.user_edit.clear()
    unlock(window, qtbot, "AB", PASS)
    assert not window.lock.locked
    assert PASS not in caplog.text
    for entry in context.store.audit():
        assert PASS not in json.dumps(entry.detail)
    context.store._db.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in list((tmp_path / "data").rglob("*")) + list(tmp_path.parent.rglob("logs/*")):
        if path.is_file():
            assert PASS.encode() not in path.read_bytes(), path


def test_switch_user_without_a_lock_asks_who(window, qtbot, context):
    _press(qtbot, window, Qt.Key_U, CTRL_SHIFT)
    dialog = [d for d in window.findChildren(SwitchUserDialog) if d.isVisible()]
    assert len(dialog) == 1
    dialog = dialog[0]
    qtbot.keyClicks(dialog.name, "  ")
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert dialog.isVisible() and "name or initials" in dialog.error.text()
    qtbot.keyClicks(dialog.name, "Dr Jo Smith")
    qtbot.keyClick(dialog.name, Qt.Key_Return)
    assert not dialog.isVisible()
    assert context.user == "Dr Jo Smith" and window.user_label.text() == "User: Dr Jo Smith"
    entry = context.store.audit()[-1]
    assert (entry.user, entry.action, entry.case_id) == ("Dr Jo Smith", "user_identified", None)


def test_switch_user_with_a_lock_shows_the_lock_screen(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    window.open_case("P-DUE-case")
    unlock_user = "IJ"
    _press(qtbot, window, Qt.Key_U, CTRL_SHIFT)
    assert_locked_and_hidden(window)
    unlock(window, qtbot, unlock_user)
    assert context.user == unlock_user
    viewed = [(e.user, e.detail) for e in context.store.audit("P-DUE-case") if e.action == "case_viewed"]
    assert viewed[-1] == (unlock_user, {"after": "unlock"})  # the next person sees the open case


def test_quit_from_the_lock_screen_does_not_ask_about_the_draft(window, qtbot, monkeypatch):
    from radiculopathy_desktop.ui import wizard as wizard_module
    asked = []
    monkeypatch.setattr(wizard_module, "ask_keep_draft", lambda parent: asked.append(1) or "cancel")
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_3, Qt.ControlModifier)
    qtbot.keyClicks(window.views["intake"].pages[0].pid, "P-QUIT")
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    qtbot.mouseClick(window.lock.screen.quit_button, Qt.LeftButton)
    assert not window.isVisible() and asked == []


def test_whoever_turns_the_lock_on_stays_the_user(window, qtbot, context):
    before = context.user
    set_passphrase(window, qtbot).close()
    assert context.user == before != "(not identified)"
    assert window.user_label.text() == f"User: {before}"
    settings_audit = context.store.audit()[-1]
    assert (settings_audit.user, settings_audit.detail) == (before, {"access_lock": "turned on"})


def test_error_message_and_handout_dialog_come_back_after_unlock(window, qtbot, monkeypatch):
    from radiculopathy_desktop.storage.db import StorageError
    from radiculopathy_desktop.ui.errors import show_error
    from radiculopathy_desktop.ui.exports import HandoutDialog
    set_passphrase(window, qtbot).close()
    window.open_case("P-DUE-case")
    _press(qtbot, window, Qt.Key_P, Qt.ControlModifier)
    handout = next(d for d in window.patient_view.findChildren(HandoutDialog) if d.isVisible())
    handout.large_print.setChecked(True)
    error = show_error(window, StorageError("locked", "The database is busy."), kept_input=True)
    window.lock_now()  # as the idle timer does (a modal message takes the keyboard)
    assert_locked_and_hidden(window)
    unlock(window, qtbot)
    assert handout.isVisible() and handout.large_print.isChecked()
    assert error.isVisible() and "busy" in error.message_label.text()
    error.close()
    handout.close()


def test_a_question_waiting_for_an_answer_is_cancelled_not_brought_back(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    set_passphrase(window, qtbot).close()
    box = QMessageBox(QMessageBox.Question, "Keep this?", "Keep it?", QMessageBox.Save | QMessageBox.Cancel, window)
    QTimer.singleShot(50, lambda: window.lock.lock("manual"))
    QTimer.singleShot(5000, box.reject)  # never hang the test run
    box.exec()  # returns when the lock hides it
    assert window.lock.locked and not box.isVisible()
    assert_locked_and_hidden(window)
    unlock(window, qtbot)
    assert not box.isVisible()  # its caller has moved on; it is not shown again
    box.deleteLater()


def test_lock_removed_by_it_while_locked_unlocks_with_a_name(window, qtbot, context):
    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    access.clear_lock(context.store, user="it-admin")  # the recovery for a forgotten passphrase
    unlock(window, qtbot, "MN", "")
    assert not window.lock.locked and context.user == "MN"
    assert context.store.audit()[-1].detail == {"lock": "removed meanwhile"}
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)  # no lock now: Ctrl+L offers to set one
    assert not window.lock.locked
    for d in window.findChildren(LockSettingsDialog):
        d.close()


def test_lock_dialogs_name_every_input(window, qtbot):
    from .test_accessibility import _unnamed
    settings = open_lock_settings(window, qtbot)
    _press(qtbot, window, Qt.Key_U, CTRL_SHIFT)
    switch = next(d for d in window.findChildren(SwitchUserDialog) if d.isVisible())
    assert _unnamed(settings) + _unnamed(switch) + _unnamed(window.lock.screen) == []
    settings.close()
    switch.close()


def test_a_replaced_store_brings_its_own_lock_settings(window, qtbot, context, tmp_path):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.store import CaseStore
    restored = CaseStore.open(tmp_path / "restored")
    original = context.store
    try:
        restored.import_cases([parse_case(c) for c in seed_cases()], user="restore")
        access.set_passphrase(restored, PASS, PASS, user="setup")
        user = context.user
        context.store = restored
        context.hub.store_replaced.emit()
        assert window.lock.configured and context.user == user  # the person at the screen is unchanged
        _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
        assert_locked_and_hidden(window)
        unlock(window, qtbot, "OP")
        assert restored.audit()[-1].action == "unlocked" and restored.audit()[-1].user == "OP"
    finally:
        context.store = original  # the window's timers must not read a closed store after the test
        restored.close()


def test_alt_keys_on_the_lock_screen_move_between_fields_and_never_type_a_letter(window, qtbot, context):
    """gp17 F9 (under Xvfb with no window manager, xdotool's Alt+P arrived as "p" and the
    passphrase went into the name field and the audit): in Qt, Alt+P and Alt+W move between the
    two fields, Alt+U unlocks, and an Alt+letter is never typed into a field. A regression test:
    it passes on the code before too; the finding was not reproduced with a window manager's
    key events."""
    from PySide6.QtGui import QKeyEvent

    set_passphrase(window, qtbot).close()
    _press(qtbot, window, Qt.Key_L, Qt.ControlModifier)
    screen = window.lock.screen
    qtbot.waitUntil(screen.isVisible)

    def alt(widget, key, letter):  # the event a field gets when no shortcut took the key
        for kind in (QKeyEvent.KeyPress, QKeyEvent.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.AltModifier, letter))

    screen.user_edit.setFocus()
    qtbot.keyClicks(screen.user_edit, "GP")
    alt(screen.user_edit, Qt.Key_P, "p")
    assert screen.user_edit.text() == "GP"
    qtbot.waitUntil(screen.pass_edit.hasFocus)
    qtbot.keyClicks(screen.pass_edit, "not the passphrase")
    alt(screen.pass_edit, Qt.Key_W, "w")
    qtbot.waitUntil(screen.user_edit.hasFocus)
    alt(screen.user_edit, Qt.Key_X, "x")  # not one of the screen's keys: typed nowhere
    assert screen.user_edit.text() == "GP" and screen.pass_edit.text() == "not the passphrase"
    alt(screen.pass_edit, Qt.Key_U, "u")  # Unlock: refused, the name kept as typed
    qtbot.waitUntil(lambda: "not right" in screen.error.text())
    users = [e.user for e in context.store.audit() if e.action == "unlock_failed"]
    assert users == ["unknown user"]  # "GP" is no name the record knows here (gp17 F9)
