""""Medicine alerts (N)" is counted off the window's thread (st20, issue 17).

Before: after every reload the window counted the Medicine alerts filter's cases on its own
thread (150-230 ms at 100,000 cases under load; longer on a slow disk, up to the busy timeout when
another program held the database): the window froze for it. Now the count runs in a worker, on a
read-only connection of its own (``Store.reader``): the button says "counting..." and then the
figure; a count that fails says "not counted" and why, never a number; a newer request supersedes
an older one, whose late figure is never shown.

The alerts counted are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later"; NSAID labels advise against use "at 30 weeks and later in pregnancy because of the
additional risk of premature closure of the fetal ductus arteriosus".
"""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import worklist as worklist_ui

from .conftest import TODAY, case_dict, seed_cases

COUNTING = "Medicine alerts (counting...)"
NOT_COUNTED = "Medicine alerts (not counted)"


def _pregnant(pid, name, care_days_ago, weeks):
    d = case_dict(pid, name, care_days_ago)
    d["patient"]["pregnancy_weeks"] = weeks  # recorded on the intake's visit date
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    return d


def _cases():
    from radiculopathy_desktop.domain.intake import parse_case
    # 33 weeks today on ibuprofen (contraindicated) and 29 weeks (avoid): 2 alerts
    return [parse_case(c) for c in seed_cases() + [_pregnant("PREG-1", "Pia Pregnant", 10, 32),
                                                    _pregnant("PREG-29", "Tess Twentynine", 7, 28)]]


@pytest.fixture
def store(tmp_path):
    s = CaseStore.open(tmp_path / "data")
    s.import_cases(_cases(), user="test")
    yield s
    s.close()


class Gate:
    """Holds the worker's count until the test opens it; records where each count ran."""

    def __init__(self):
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.calls: list[dict] = []
        self.hold_first_only = True


@pytest.fixture
def gate(window, qtbot, monkeypatch):
    """Requested after ``window``, so it is opened (its teardown) before the window is closed. The
    window's first count (after its first paint) has ended before the gate is put in place."""
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=10000)
    g = Gate()
    real = CaseStore.medicine_alert_count

    def held(self, *args, **kwargs):
        value = real(self, *args, **kwargs)  # the figure as the database stands now
        call = {"thread": threading.current_thread(), "store": self, "value": value}
        g.calls.append(call)
        if len(g.calls) == 1 or not g.hold_first_only:
            g.entered.set()
            assert g.opened.wait(60), "the test never opened the gate"
        return value

    monkeypatch.setattr(CaseStore, "medicine_alert_count", held)
    yield g
    g.opened.set()


def _recorded_texts(view, monkeypatch) -> list[str]:
    texts: list[str] = []
    button = view.medicines_button
    real = button.setText

    def record(text):
        texts.append(text)
        real(text)

    monkeypatch.setattr(button, "setText", record)
    return texts


def test_the_count_runs_in_a_worker_on_its_own_connection_and_the_window_answers_meanwhile(window, context, qtbot,
                                                                                           gate):
    view = window.views["worklist"]
    view._update_counts(TODAY)  # as after any reload of the list that may change them
    qtbot.waitUntil(lambda: gate.entered.is_set() and view.medicines_button.text() == COUNTING, timeout=10000)
    call = gate.calls[-1]
    assert call["thread"] is not threading.main_thread()
    assert call["store"] is not context.store  # a reader, not the window's store and connection
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        call["store"]._db.conn.execute("DELETE FROM medicine_alerts")
    assert view.medicines_button.accessibleName() == "Show medicine alerts: still counting"
    assert view.counts_as_of is None  # not every figure is on the buttons yet
    assert view.all_button.text() == "Surgical review (4)"  # the status counts are already there
    # the window answers while the count is held: typing filters the list, a click changes the filter
    qtbot.keyClicks(view.search_box, "Nell")
    qtbot.waitUntil(lambda: view.model.search == "Nell" and view.model.rowCount() == 1, timeout=10000)
    qtbot.mouseClick(view.filter_buttons["immediate"], Qt.LeftButton)
    assert view.filter_buttons["immediate"].isChecked()
    assert view.medicines_button.text() == COUNTING  # still no figure: never a guess
    gate.opened.set()
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY, timeout=10000)
    assert view.medicines_button.text() == "Medicine alerts (2)"
    assert view.medicines_button.accessibleName() == "Show medicine alerts: 2 cases"
    qtbot.waitUntil(lambda: not view.counting_alerts, timeout=10000)
    # the list behind the figure: the same two cases
    view.search_box.clear()
    qtbot.waitUntil(lambda: view.model.search == "", timeout=10000)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)  # the list too is read in a worker (st21)
    assert {view.model.rows[r].case_id for r in range(view.model.rowCount())} == {"PREG-1-case", "PREG-29-case"}


def test_a_newer_count_supersedes_an_older_one_whose_late_figure_is_never_shown(window, context, qtbot, gate,
                                                                               monkeypatch):
    from radiculopathy_desktop.domain.intake import parse_case

    view = window.views["worklist"]
    texts = _recorded_texts(view, monkeypatch)
    view._update_counts(TODAY)
    qtbot.waitUntil(lambda: gate.entered.is_set(), timeout=10000)
    assert gate.calls[0]["value"] == 2  # the held count has read 2
    # meanwhile a third pregnant patient on ibuprofen is saved: the runner announces it, the list is read
    # again and a new count asked for; the held one's 2 is out of date from now on
    third = parse_case(_pregnant("PREG-3", "Ada Another", 5, 31))
    assert context.ops.run(lambda store: store.import_cases([third], user="dr.a")).ok
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view._alerts_next is not None, timeout=10000)
    assert view.medicines_button.text() == COUNTING
    gate.opened.set()
    qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (3)", timeout=10000)
    qtbot.waitUntil(lambda: not view.counting_alerts, timeout=10000)
    assert [c["value"] for c in gate.calls] == [2, 3]  # the old count did end, with its old figure...
    assert "Medicine alerts (2)" not in texts  # ...which never reached the button
    assert texts[-1] == "Medicine alerts (3)"
    assert view.counts_as_of == TODAY


def test_a_status_count_that_fails_meanwhile_drops_the_running_figure(window, context, qtbot, gate, monkeypatch,
                                                                      caplog):
    """The status counts fail while a count is still running: no button shows a number, and the
    late medicine figure is not put back beside the unknown ones."""
    from radiculopathy_desktop.storage.db import StorageError

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")  # the failed read is logged: expected
    view = window.views["worklist"]
    view._update_counts(TODAY)
    qtbot.waitUntil(lambda: gate.entered.is_set(), timeout=10000)

    def busy(as_of, settings=None):
        raise StorageError("locked", "The database is busy.")

    monkeypatch.setattr(context.store, "status_counts", busy)
    view._update_counts(TODAY)
    assert view.medicines_button.text() == "Medicine alerts"
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.counting_alerts, timeout=10000)
    assert view.medicines_button.text() == "Medicine alerts"
    assert view.filter_buttons["immediate"].text() == "Immediate"
    assert view.counts_as_of is None


@pytest.fixture
def locked_setup(tmp_path, monkeypatch):
    """The database on a network share (rollback journal, where another program's write lock keeps
    readers out) with a short busy timeout, and a second program's connection to lock it with."""
    from radiculopathy_desktop.storage import opening
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub

    monkeypatch.setattr(opening, "is_network_filesystem", lambda folder: True)
    store = CaseStore.open(tmp_path / "data", busy_timeout_ms=200)
    assert store.journal_mode() == "delete"
    store.import_cases(_cases(), user="test")
    context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "data", today=lambda: TODAY)
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    yield context, other
    other.close()
    store.close()


def test_a_count_that_meets_a_locked_database_says_not_counted_and_why_never_a_number(locked_setup, qtbot,
                                                                                     monkeypatch, caplog):
    from radiculopathy_desktop.ui.main_window import MainWindow

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")  # "could not be counted": expected
    context, other = locked_setup
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=10000)
    assert view.medicines_button.text() == "Medicine alerts (2)"
    # Another program takes the write lock just as the worker starts counting (after the window's
    # own status counts, which are not what this test is about), and holds it until the count failed.
    real_reader = CaseStore.reader
    ready, locked = threading.Event(), threading.Event()

    def reader_after_the_lock(self):
        ready.set()
        assert locked.wait(60)
        return real_reader(self)

    monkeypatch.setattr(CaseStore, "reader", reader_after_the_lock)
    texts = _recorded_texts(view, monkeypatch)
    view._update_counts(TODAY)
    qtbot.waitUntil(ready.is_set, timeout=10000)
    other.execute("BEGIN EXCLUSIVE")
    try:
        locked.set()
        qtbot.waitUntil(lambda: view.medicines_button.text() == NOT_COUNTED, timeout=10000)
    finally:
        other.execute("ROLLBACK")
    assert all(t in (COUNTING, NOT_COUNTED) for t in texts), texts  # never a number meanwhile
    assert view.medicines_button.accessibleName() == "Show medicine alerts: the number could not be counted"
    assert view.counts_as_of is None
    assert view.alerts_error is not None and view.alerts_error.kind == "locked"
    assert view.read_error.isVisible() and view.retry_button.isVisible()
    text = view.read_error.text()
    assert text.startswith("The cases with a medicine-safety alert could not be counted, so the Medicine alerts "
                           "button shows no number: it does not mean that no case has one"), text
    assert "busy" in text
    # the other program is done: Try again counts again, the figure comes back and the message goes
    monkeypatch.setattr(CaseStore, "reader", real_reader)
    qtbot.mouseClick(view.retry_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (2)", timeout=10000)
    assert view.alerts_error is None
    assert not view.read_error.isVisible()


def test_closing_the_window_while_a_count_runs_leaves_no_thread_behind(qtbot, context, monkeypatch):
    """Closing stops and waits for the count: no worker outlives the window (a QThread deleted
    while it runs aborts the program)."""
    from radiculopathy_desktop.ui.main_window import MainWindow

    started = threading.Event()
    real = CaseStore.medicine_alert_count

    def count(self, *args, **kwargs):
        started.set()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CaseStore, "medicine_alert_count", count)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    qtbot.waitUntil(started.is_set, timeout=10000)
    window.close()
    assert not view.counting_alerts
    assert not worklist_ui._LIVE_COUNTS


def test_on_the_clinic_server_the_count_runs_in_the_worker_on_a_pooled_read_only_transaction(qtbot, pg_database,
                                                                                            tmp_path, monkeypatch):
    import pg_server as pgs

    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow

    store = PgStore.open(pg_database(pgs.CLINICIAN_LOGIN), timeout_s=3)
    try:
        store.import_cases(_cases(), user="test")
        seen = []
        real = PgStore.medicine_alert_count

        def count(self, *args, **kwargs):
            with self._tx() as conn:  # the transaction the count's reads join: read-only in the worker
                seen.append((threading.current_thread() is threading.main_thread(),
                             conn.execute("SHOW transaction_read_only").fetchone()[0]))
                return real(self, *args, **kwargs)

        monkeypatch.setattr(PgStore, "medicine_alert_count", count)
        context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        view = window.views["worklist"]
        qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (2)", timeout=30000)
        assert seen and all(main is False and read_only == "on" for main, read_only in seen), seen
        # the window's own transactions are not read-only: a decision saves
        from radiculopathy_desktop.domain.intake import Decision
        decision = Decision(date=TODAY, kind="referred_for_surgical_opinion", by="Dr A")
        with qtbot.waitSignal(view.counts_shown, timeout=30000):  # the counts follow the change
            assert context.ops.run(lambda s: s.record_decision("P-DUE-case", decision, user="dr.a")).ok
        assert view.filter_buttons["closed"].text() == "Closed (1)"
        assert view.medicines_button.text() == "Medicine alerts (2)"
        window.close()
        window.stop_server_watch()
    finally:
        store.close()
