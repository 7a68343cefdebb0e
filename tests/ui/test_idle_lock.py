"""Idle auto-lock: a warning with a countdown first, any input cancels it, no input locks.

The watcher's times are shortened per test (``set_timing``): the same code counts
minutes in the clinic and milliseconds here.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from radiculopathy_desktop.storage import access

PASS = "quiet river stone"


def _with_lock(window, idle: bool = True, minutes: int = 10):
    store = window.context.store
    access.set_passphrase(store, PASS, PASS, user="setup")
    access.set_idle(store, idle, minutes, user="setup", current=PASS)
    window.lock.reload()
    return window.lock


def test_no_idle_lock_without_a_passphrase(window, qtbot):
    assert not window.lock.idle.active
    access.set_idle(window.context.store, True, 1, user="setup")  # remembered, but nothing to lock with
    window.lock.reload()
    assert not window.lock.idle.active


def test_idle_lock_can_be_turned_off(window):
    lock = _with_lock(window, idle=False)
    assert lock.configured and not lock.idle.active


def test_idle_minutes_come_from_the_lock_settings(window, qtbot):
    lock = _with_lock(window, minutes=3)
    assert lock.idle.active and lock.idle.idle_ms == 3 * 60_000
    assert lock.idle.warning_ms == 30_000  # the warning comes 30 s before


def test_warning_then_input_cancels_then_no_input_locks(window, qtbot):
    lock = _with_lock(window)
    window.open_case("P-DUE-case")
    lock.idle.set_timing(idle_ms=600, second_ms=30)  # warning after 300 ms, 10 "seconds" of 30 ms
    qtbot.waitUntil(lambda: lock.warning.isVisible(), timeout=3000)
    assert not lock.locked
    text = lock.warning.label.text()
    assert "Locking in" in text and "Press any key or move the mouse to stay." in text
    assert lock.warning.geometry().intersects(window.rect())

    qtbot.keyClick(window.patient_view, Qt.Key_Shift)  # any key
    assert not lock.warning.isVisible() and not lock.locked

    qtbot.waitUntil(lambda: lock.warning.isVisible(), timeout=3000)
    qtbot.mouseMove(window, QPoint(200, 200))  # moving the mouse
    qtbot.mouseMove(window, QPoint(220, 240))
    assert not lock.warning.isVisible() and not lock.locked

    qtbot.waitUntil(lambda: lock.warning.isVisible(), timeout=3000)
    seconds = []
    lock.idle.tick.connect(seconds.append)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    assert seconds and seconds == sorted(seconds, reverse=True)  # it counted down
    assert not lock.warning.isVisible()
    assert lock.screen.isVisible() and not window.patient_view.isVisible()
    entry = window.context.store.audit()[-1]
    assert (entry.action, entry.detail) == ("locked", {"reason": "idle"})


def test_typing_keeps_the_window_open(window, qtbot):
    lock = _with_lock(window)
    lock.idle.set_timing(idle_ms=400, second_ms=20)
    search = window.views["worklist"]
    for _ in range(12):  # 12 x 60 ms of typing is longer than the idle time
        qtbot.keyClick(search, Qt.Key_Shift)
        qtbot.wait(60)
        assert not lock.locked
    assert not lock.warning.isVisible()


def test_after_unlock_the_idle_timer_runs_again(window, qtbot):
    lock = _with_lock(window)
    lock.idle.set_timing(idle_ms=400, second_ms=20)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    assert not lock.idle.active  # nothing to count while locked
    screen = lock.screen
    qtbot.keyClicks(screen.user_edit, "KL")
    qtbot.keyClicks(screen.pass_edit, PASS)
    qtbot.keyClick(screen.pass_edit, Qt.Key_Return)
    assert not lock.locked and lock.idle.active
    lock.idle.set_timing(idle_ms=400, second_ms=20)
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
