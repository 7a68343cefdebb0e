"""Closing the window while the Medicine alerts count waits for another program's lock is prompt
(st20 leftover, sav21).

st20 moved the count to a worker on a read-only connection of its own, and closing the window
interrupts it (``sqlite3_interrupt``) and waits for it. But SQLite's own busy wait does not see an
interrupt (st20's probe: still 5.34 s with a 5 s timeout), so with another program holding the
database (a rollback journal on a network share, another program's exclusive lock) closing the
window froze it for the whole busy timeout. The reader now lets SQLite wait a slice at a time and
looks for the interrupt between slices, up to the busy timeout in all. Timings are derived from
what the test measures: an uninterrupted count under the same lock is timed first.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import worklist as worklist_ui
from radiculopathy_desktop.ui.worklist import OPEN_STATUSES

from .conftest import TODAY
from .test_medicine_alerts_count_thread import _cases

BUSY_MS = 2000  # the store's busy timeout here: the wait an uninterrupted count is measured to take


@pytest.fixture
def locked(tmp_path, monkeypatch):
    from radiculopathy_desktop.storage import opening
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub

    monkeypatch.setattr(opening, "is_network_filesystem", lambda folder: True)
    store = CaseStore.open(tmp_path / "data", busy_timeout_ms=BUSY_MS)
    assert store.journal_mode() == "delete"
    store.import_cases(_cases(), user="test")
    context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "data", today=lambda: TODAY)
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    yield context, store, other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()
    store.close()


def _uninterrupted_wait(store, other) -> float:
    """How long a count on a reader waits under another program's exclusive lock, measured."""
    other.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        with pytest.raises(Exception) as caught:
            with store.reader() as reader:
                reader.medicine_alert_count(TODAY, list(OPEN_STATUSES), profile="us")
        waited = time.monotonic() - start
        assert getattr(caught.value, "kind", None) == "locked", caught.value
        return waited
    finally:
        other.execute("ROLLBACK")


def test_closing_the_window_while_the_count_waits_for_a_lock_does_not_wait_it_out(locked, qtbot, monkeypatch,
                                                                                 caplog):
    from radiculopathy_desktop.ui.main_window import MainWindow

    # the window's own reads meeting the lock meanwhile say so ("... locked"): expected here
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")

    context, store, other = locked
    full = _uninterrupted_wait(store, other)
    assert full >= BUSY_MS / 1000 * 0.9  # it did wait out the busy timeout (the harm closing must not inherit)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=10000)
    # The intake was opened this session (Ctrl+3), so closing does not read its kept draft for an
    # emergency (``_close_with_kept_alarm``): that read, on the window's own connection, waits for
    # the lock on its own account and is not what this test measures (noted in the sav21 report).
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    assert "intake" in window.views
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    # the next count starts while another program holds the database
    # another program takes the lock just as the worker opens its reader (after the window's own
    # status counts, which are not what this test is about), as st20's locked test does
    real_reader = CaseStore.reader
    ready, taken = threading.Event(), threading.Event()

    def reader_after_the_lock(self):
        ready.set()
        assert taken.wait(60)
        return real_reader(self)

    monkeypatch.setattr(CaseStore, "reader", reader_after_the_lock)
    view._update_counts(TODAY)
    qtbot.waitUntil(ready.is_set, timeout=10000)
    other.execute("BEGIN EXCLUSIVE")
    taken.set()  # the worker goes on into the locked database: it cannot finish while the lock is held
    assert view.counting_alerts
    start = time.monotonic()
    window.close()
    closing = time.monotonic() - start
    # derived from the measured wait: closing takes a small part of it, never the wait itself
    assert closing < full / 4, (closing, full)
    assert not view.counting_alerts and not worklist_ui._LIVE_COUNTS  # no thread outlives the window
    assert other.in_transaction  # the other program's lock was not touched
    assert view.medicines_button.text() != "Medicine alerts (2)"  # no figure came from the stopped count


def test_a_count_under_a_lock_still_waits_the_busy_timeout_and_then_counts_once_released(locked):
    """Boundary: uninterrupted, the reader still waits out the busy timeout in all (not one slice)
    and says "locked"; the lock released, it counts."""
    _context, store, other = locked
    assert _uninterrupted_wait(store, other) >= BUSY_MS / 1000 * 0.9
    with store.reader() as reader:
        assert reader.medicine_alert_count(TODAY, list(OPEN_STATUSES), profile="us") == 2


def test_on_the_clinic_server_closing_cancels_a_count_waiting_for_another_sessions_lock(qtbot, pg_database,
                                                                                      tmp_path, monkeypatch,
                                                                                      caplog):
    """The clinic server: another session holds ``cases`` in ACCESS EXCLUSIVE mode (a long
    maintenance statement), so the worker's count waits for as long as the lock is held. Closing
    cancels it on the server (``PgStore.interrupt``): the window closes while the lock is still
    held. A watchdog releases the lock after a safety bound only, so a regression fails instead of
    hanging; no timing is asserted, only the order of the two events."""
    import psycopg
    import pg_server as pgs

    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow

    # the window's reads after the store closes at the end say "unreachable": expected here
    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")
    store = PgStore.open(pg_database(pgs.CLINICIAN_LOGIN), timeout_s=3)
    holder = psycopg.connect(pg_database(), autocommit=False)
    released = threading.Event()

    def release():  # the watchdog: never a hang (the window's thread is then blocked in close)
        if not released.is_set():
            released.set()
            holder.rollback()
    try:
        store.import_cases(_cases(), user="test")
        context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        view = window.views["worklist"]
        qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (2)", timeout=30000)
        qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)  # as above: the intake opened this session
        qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
        real_reader = PgStore.reader
        ready, taken = threading.Event(), threading.Event()

        def reader_after_the_lock(self):
            ready.set()
            assert taken.wait(60)
            return real_reader(self)

        monkeypatch.setattr(PgStore, "reader", reader_after_the_lock)
        view._update_counts(TODAY)
        qtbot.waitUntil(ready.is_set, timeout=30000)
        holder.execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        watchdog = threading.Timer(30, release)
        watchdog.start()
        taken.set()
        assert view.counting_alerts
        window.stop_server_watch()
        window.close()
        assert not released.is_set()  # closed while the other session still held the lock
        watchdog.cancel()
        assert not view.counting_alerts and not worklist_ui._LIVE_COUNTS
    finally:
        if not released.is_set():
            released.set()
            holder.rollback()
        holder.close()
        store.close()
