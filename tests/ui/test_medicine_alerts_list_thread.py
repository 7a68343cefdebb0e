"""The Medicine alerts LIST is read off the window's thread (st21, issue 17 item 2).

Before: pressing Medicine alerts read the list's page on the window's thread. Each page checks
every patient with a standing pregnancy and another case (st20's notes: 20 patients at 100,000
cases, the medicine engine imported the first time), so the window froze while it did, and up to
the busy timeout when another program held the database. Now the page is read in a worker on a
read-only store of its own (``Store.reader``), as the count is since st20: the list area says
"Reading...", never "No case has a medicine-safety alert" for a list not read yet; a failed read
says so with Try again, a page missing says the rows shown are only the first; a read superseded
by a newer one (another filter, a change saved) is never shown.

The alerts listed are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
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

ALERTED = {"PREG-1-case", "PREG-29-case"}
NO_CASE = "No case has a medicine-safety alert today."


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


def _listed(view) -> set[str]:
    return {view.model.rows[r].case_id for r in range(view.model.rowCount())}


def _settled(qtbot, view):
    qtbot.waitUntil(lambda: view.counts_as_of == TODAY and not view.counting_alerts, timeout=10000)


class Gate:
    """Holds the worker's Medicine alerts page reads until the test opens the gate; records each."""

    def __init__(self):
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.calls: list[dict] = []
        self.hold = True


@pytest.fixture
def gate(window, qtbot, monkeypatch):
    """Requested after ``window``, so it is opened (its teardown) before the window is closed."""
    _settled(qtbot, window.views["worklist"])
    g = Gate()
    real = CaseStore.worklist

    def held(self, *args, **kwargs):
        rows = real(self, *args, **kwargs)  # the page as the database stands now
        if not kwargs.get("medicine_alerts_only"):
            return rows
        g.calls.append({"thread": threading.current_thread(), "store": self, "ids": [r.case_id for r in rows],
                        "offset": kwargs.get("offset")})
        if g.hold:
            g.entered.set()
            assert g.opened.wait(60), "the test never opened the gate"
        return rows

    monkeypatch.setattr(CaseStore, "worklist", held)
    yield g
    g.opened.set()


def test_the_list_is_read_in_a_worker_and_says_reading_while_the_window_answers(window, context, qtbot, gate):
    view = window.views["worklist"]
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    assert view.medicines_button.isChecked()
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    call = gate.calls[-1]
    assert call["thread"] is not threading.main_thread()
    assert call["store"] is not context.store  # a reader: not the window's store and connection
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        call["store"]._db.conn.execute("DELETE FROM medicine_alerts")
    # nothing read yet: never "no case has an alert", never an error; it says the list is being read
    assert view.model.rowCount() == 0 and view.model.reading
    assert view.empty_label.isVisible() and view.empty_label.text() == worklist_ui.LIST_READING
    assert NO_CASE not in view.empty_label.text()
    assert not view.read_error.isVisible()
    # the window answers meanwhile: typing searches every case (read as any list is) ...
    qtbot.keyClicks(view.search_box, "Nell")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "Nell" and view.model.rowCount() == 1, timeout=10000)
    # ... and clearing it asks for the Medicine alerts list again, which waits for the held read
    view.search_box.clear()
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(lambda: view.model.search == "", timeout=10000)
    assert view.model.rowCount() == 0 and view.empty_label.text() == worklist_ui.LIST_READING
    gate.hold = False
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)
    assert _listed(view) == ALERTED
    assert not view.empty_label.isVisible() and not view.read_error.isVisible()
    assert all(c["thread"] is not threading.main_thread() for c in gate.calls)
    assert view.medicines_button.text() == "Medicine alerts (2)"  # the count is the list's


def test_a_newer_read_supersedes_an_older_one_whose_stale_list_is_never_shown(window, context, qtbot, gate):
    from radiculopathy_desktop.domain.intake import parse_case

    view = window.views["worklist"]
    inserted: list[int] = []
    view.model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    assert sorted(gate.calls[0]["ids"]) == sorted(ALERTED)  # the held read has its 2 rows
    # meanwhile a third pregnant patient on ibuprofen is saved: the runner announces it, the list is asked
    # for again; the held read's 2 rows are out of date from now on
    third = parse_case(_pregnant("PREG-3", "Ada Another", 5, 31))
    assert context.ops.run(lambda s: s.import_cases([third], user="dr.a")).ok
    qtbot.waitUntil(lambda: view.model._read_next is not None, timeout=10000)
    assert view.model.rowCount() == 0 and view.empty_label.text() == worklist_ui.LIST_READING
    gate.hold = False
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)
    assert [len(c["ids"]) for c in gate.calls] == [2, 3]  # the old read did end, with its old rows...
    assert inserted == [3]  # ...which never reached the table
    assert _listed(view) == ALERTED | {"PREG-3-case"}
    qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (3)", timeout=10000)


def test_a_page_that_fails_says_the_list_shown_is_only_the_first_rows_and_try_again_reads_it_all(
        window, qtbot, monkeypatch, caplog):
    """A page at a time (PAGE made 1 here): the second page is held ("reading more"), then fails.
    The one row shown is said to be only the first; Try again reads the whole list."""
    from radiculopathy_desktop.storage.db import StorageError

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")  # the failed read is logged: expected
    view = window.views["worklist"]
    _settled(qtbot, view)
    monkeypatch.setattr(worklist_ui, "PAGE", 1)
    real = CaseStore.worklist
    held, release = threading.Event(), threading.Event()
    failing = [True]

    def second_page_fails(self, *args, **kwargs):
        if kwargs.get("medicine_alerts_only") and kwargs.get("offset") and failing[0]:
            held.set()
            assert release.wait(60)
            raise StorageError("locked", "The database is busy.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CaseStore, "worklist", second_page_fails)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(held.is_set, timeout=10000)  # the table asked for more once the first row was shown
    assert view.model.rowCount() == 1
    assert view.empty_label.isVisible() and view.empty_label.text() == worklist_ui.LIST_READING_MORE
    release.set()
    qtbot.waitUntil(lambda: view.read_error.isVisible(), timeout=10000)
    assert view.model.rowCount() == 1 and not view.model.reading
    text = view.read_error.text()
    assert text.startswith("Only the first 1 cases with a medicine-safety alert could be read; the rest are "
                           "missing."), text
    assert "busy" in text and view.retry_button.isVisible()
    assert not view.empty_label.isVisible()
    failing[0] = False
    qtbot.mouseClick(view.retry_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading and view.model.rowCount() == 2, timeout=10000)
    assert _listed(view) == ALERTED
    assert not view.read_error.isVisible()


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


def test_a_list_that_meets_a_locked_database_says_it_could_not_be_read_never_no_case(locked_setup, qtbot,
                                                                                     monkeypatch, caplog):
    from radiculopathy_desktop.ui.main_window import MainWindow

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop.ui")  # "could not be read": expected
    context, other = locked_setup
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    _settled(qtbot, view)
    # Another program takes the write lock just as the worker opens its reader, and holds it until the
    # read has failed.
    real_reader = CaseStore.reader
    ready, locked = threading.Event(), threading.Event()

    def reader_after_the_lock(self):
        ready.set()
        assert locked.wait(60)
        return real_reader(self)

    monkeypatch.setattr(CaseStore, "reader", reader_after_the_lock)
    empty_texts: list[str] = []
    real_set = view.empty_label.setText
    monkeypatch.setattr(view.empty_label, "setText", lambda t: (empty_texts.append(t), real_set(t)))
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(ready.is_set, timeout=10000)
    other.execute("BEGIN EXCLUSIVE")
    try:
        locked.set()
        # (the status counts, read on the window's thread as the list is asked for, may meet the lock too)
        qtbot.waitUntil(lambda: view.model.error is not None and view.read_error.isVisible(), timeout=10000)
    finally:
        other.execute("ROLLBACK")
    assert NO_CASE not in empty_texts, empty_texts  # never "no case" for a list that was not read
    assert view.model.rowCount() == 0 and view.model.error.kind == "locked"
    assert not view.empty_label.isVisible()
    text = view.read_error.text()
    assert text.startswith("The cases with a medicine-safety alert could not be read, so the list below is not "
                           "complete: it does not mean that no case has one."), text
    assert "busy" in text and view.retry_button.isVisible()
    # the other program is done: Try again reads the list, and the message goes
    monkeypatch.setattr(CaseStore, "reader", real_reader)
    qtbot.mouseClick(view.retry_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading and view.model.rowCount() == 2 and not view.read_error.isVisible(),
                    timeout=10000)
    assert _listed(view) == ALERTED
    window.close()


def test_closing_the_window_while_the_list_is_read_leaves_no_thread_behind(qtbot, context, monkeypatch):
    """Closing stops and waits for the read: no worker outlives the window (a QThread deleted while
    it runs aborts the program)."""
    from radiculopathy_desktop.ui.main_window import MainWindow

    started = threading.Event()
    real = CaseStore.worklist

    def read(self, *args, **kwargs):
        if kwargs.get("medicine_alerts_only"):
            started.set()
        return real(self, *args, **kwargs)

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    _settled(qtbot, view)
    monkeypatch.setattr(CaseStore, "worklist", read)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10000)
    window.close()
    assert not view.model.reading
    assert not worklist_ui._LIVE_COUNTS


def test_on_the_clinic_server_the_list_is_read_in_the_worker_in_read_only_transactions(qtbot, pg_database,
                                                                                      tmp_path, monkeypatch):
    import pg_server as pgs

    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.worklist import WorklistView

    store = PgStore.open(pg_database(pgs.CLINICIAN_LOGIN), timeout_s=3)
    try:
        store.import_cases(_cases(), user="test")
        seen = []
        real = PgStore.worklist

        def read(self, *args, **kwargs):
            if not kwargs.get("medicine_alerts_only"):
                return real(self, *args, **kwargs)
            with self._tx() as conn:  # the transaction the list's reads join: read-only in the worker
                seen.append((threading.current_thread() is threading.main_thread(),
                             conn.execute("SHOW transaction_read_only").fetchone()[0]))
                return real(self, *args, **kwargs)

        monkeypatch.setattr(PgStore, "worklist", read)
        context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
        # the worklist view alone: the whole window's own start-up reads (its kept draft, the IDs an
        # upgrade kept apart, the server watch) are not what this test is about
        view = WorklistView(context)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (2)", timeout=30000)
        qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: not view.model.reading, timeout=30000)
        assert _listed(view) == ALERTED
        assert seen and all(main is False and read_only == "on" for main, read_only in seen), seen
        # the window's own transactions are not read-only: a decision saves, and the list follows it
        from radiculopathy_desktop.domain.intake import Decision
        decision = Decision(date=TODAY, kind="referred_for_surgical_opinion", by="Dr A")
        assert context.ops.run(lambda s: s.record_decision("PREG-1-case", decision, user="dr.a")).ok
        qtbot.waitUntil(lambda: not view.model.reading and _listed(view) == {"PREG-29-case"}, timeout=30000)
        qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (1)" and not view.counting_alerts,
                        timeout=30000)
        view.stop_counting()
        view.close()
    finally:
        store.close()


def test_sorting_the_list_while_it_is_read_sorts_every_page_as_it_comes(window, qtbot, monkeypatch):
    """A page at a time (PAGE made 1 here): a click on a column's header while the list is still read
    sorts what is there and each page as it comes, until the whole list is read and sorted."""
    view = window.views["worklist"]
    _settled(qtbot, view)
    monkeypatch.setattr(worklist_ui, "PAGE", 1)
    real = CaseStore.worklist
    first_held, release = threading.Event(), threading.Event()

    def first_page_held(self, *args, **kwargs):
        if kwargs.get("medicine_alerts_only") and not kwargs.get("offset"):
            first_held.set()
            assert release.wait(60)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CaseStore, "worklist", first_page_held)
    qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
    qtbot.waitUntil(first_held.is_set, timeout=10000)
    name_column = next(n for n, (key, _label) in enumerate(worklist_ui.COLUMNS) if key == "name")
    view._sort_by(name_column)  # what a click on the Name header does: ascending
    view._sort_by(name_column)  # and a second click: descending
    release.set()
    qtbot.waitUntil(lambda: not view.model.reading and view.model.rowCount() == 2, timeout=10000)
    assert [view.model.text(view.model.rows[r], "name") for r in range(2)] == ["Tess Twentynine", "Pia Pregnant"]
    assert not view.empty_label.isVisible() and not view.read_error.isVisible()
    view._sort_by(name_column)  # ascending again (every row is read: sorted at once)
    assert [view.model.text(view.model.rows[r], "name") for r in range(2)] == ["Pia Pregnant", "Tess Twentynine"]
