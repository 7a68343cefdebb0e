"""Closing the window reads the kept intake draft without waiting out another program's lock
(sav21 leftover; hazard H-DATA-416).

When the intake was not opened this session, closing reads the kept draft to say an emergency it
records (``MainWindow._close_with_kept_alarm``). Before, that read ran on the window's own
connection: with another program holding the write lock (a rollback journal on a network share),
the window froze for the whole busy timeout, and then said nothing about the emergency (the read
failed and was taken as "no draft"). Now it is read on a reader of its own, waited for at most
``wizard.CLOSE_DRAFT_READ_S``: not read in time, the emergency read when the draft was offered at
start is said; the draft is never deleted and is read again, whole, once the lock is gone.

Timings are derived from what the test measures (the uninterrupted wait under the same lock).
"""

from __future__ import annotations

import logging
import time

from radiculopathy_desktop.ui import wizard as wizard_module
from radiculopathy_desktop.ui.wizard import DRAFT_KEY

from .conftest import TODAY
from .test_close_during_locked_count import BUSY_MS, _uninterrupted_wait, locked  # noqa: F401 (fixture)
from .test_intake_emergency_stays import _store_emergency_draft


def _window(qtbot, context):
    from radiculopathy_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=10000)
    return window


def _asked(monkeypatch) -> list:
    asked: list = []

    def answer(parent, alarm):
        asked.append(alarm)
        return True  # close, keep the draft

    monkeypatch.setattr(wizard_module, "ask_close_with_alarm", answer)
    return asked


def test_closing_under_another_programs_lock_is_prompt_and_still_says_the_kept_emergency(locked, qtbot, monkeypatch,
                                                                                       caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop")  # reads meeting the lock say so
    context, store, other = locked
    full = _uninterrupted_wait(store, other)
    assert full >= BUSY_MS / 1000 * 0.9
    _store_emergency_draft(context)
    window = _window(qtbot, context)
    qtbot.waitUntil(window.draft_bar.isVisible, timeout=10000)  # offered at start: it records an emergency
    assert "EMERGENCY" in window.draft_label.text()
    assert "intake" not in window.views  # not opened this session: closing reads the draft
    asked = _asked(monkeypatch)
    other.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        window.close()
        closing = time.monotonic() - start
    finally:
        other.execute("ROLLBACK")
    assert not window.isVisible()
    assert closing < full / 2, (closing, full)  # never the busy timeout itself
    assert len(asked) == 1 and "suspected cauda equina syndrome, for patient CES-KEPT" in asked[0]
    # nothing lost: the draft is kept, whole, for the next start
    kept = store.load_draft(DRAFT_KEY)
    assert kept["data"]["red_flags"]["urinary_retention_or_incontinence"] == "yes"


def test_without_a_lock_closing_reads_the_draft_as_it_is_now(locked, qtbot, monkeypatch):
    """Boundary: the database free, the draft is read at close (a draft kept after the start is
    said too), on a reader, not the window's connection."""
    context, store, _other = locked
    window = _window(qtbot, context)
    assert not window.draft_bar.isVisible()
    _store_emergency_draft(context)  # kept after the start (another window of this computer)
    asked = _asked(monkeypatch)
    window.close()
    assert not window.isVisible()
    assert len(asked) == 1 and "CES-KEPT" in asked[0]


def test_a_draft_not_read_in_time_and_not_known_at_start_closes_and_keeps_it(locked, qtbot, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop")
    context, store, other = locked
    window = _window(qtbot, context)
    _store_emergency_draft(context)
    asked = _asked(monkeypatch)
    other.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        window.close()
        closing = time.monotonic() - start
    finally:
        other.execute("ROLLBACK")
    assert not window.isVisible() and asked == []
    assert closing < BUSY_MS / 1000 / 2, closing
    assert store.load_draft(DRAFT_KEY)["data"]["patient"]["id"] == "CES-KEPT"  # kept: offered at the next start
