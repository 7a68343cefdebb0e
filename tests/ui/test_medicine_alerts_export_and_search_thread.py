"""Export CSV and a search under the Medicine alerts filter are read off the window's thread, as
that list is (st21 leftover; hazard H-UI-415).

Before: st21 moved the Medicine alerts LIST to a worker on a read-only store of its own
(``Store.reader``), but "Export CSV..." (Ctrl+Shift+X) and a search typed while the filter was on
still read on the window's thread: with another program holding the database (a rollback journal
on a network share) or a slow clinic server, the window froze until the read ended or the busy
timeout ran out.

Now both are read in a worker on a reader. The export's file is written (whole, through the one
path of ``export cases``) and audited only once every case is read; meanwhile the status bar says
so. A read that fails writes no file and says so, with what to do; pressing Export CSV again once
the database is free writes it. A search says "Searching every case..." while it is read, never
"No case matches" for a search not read yet; one that fails says so, with Try again. Driven by keys.

The alerts listed are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later".
"""

from __future__ import annotations

import csv
import logging
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.ui import errors as ui_errors
from radiculopathy_desktop.ui import exports
from radiculopathy_desktop.ui import worklist as worklist_ui

from .conftest import TODAY
from .test_medicine_alerts_list_thread import ALERTED, _cases, _settled, locked_setup  # noqa: F401 (fixture)

NO_MATCH = "No case matches this search, under any status."


@pytest.fixture
def store(tmp_path):
    s = CaseStore.open(tmp_path / "data")
    s.import_cases(_cases(), user="test")
    yield s
    s.close()


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _medicine_alerts_by_keys(qtbot, window, view):
    """Ctrl+1, Alt+S to the search box, Shift+Tab into the filter buttons, the arrows to Medicine
    alerts, Space; the list is read (in its worker)."""
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    _settled(qtbot, view)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key_S, Qt.AltModifier)
    assert QApplication.focusWidget() is view.search_box
    qtbot.keyClick(view.search_box, Qt.Key_Backtab, Qt.ShiftModifier)
    buttons = view.filter_bar.findChildren(type(view.medicines_button))
    target = view.medicines_button.geometry()
    for _ in range(3 * len(buttons)):
        focused = QApplication.focusWidget()
        assert focused in buttons, focused
        if focused is view.medicines_button:
            break
        here = focused.geometry()
        qtbot.keyClick(focused, Qt.Key_Up if here.y() > target.y() else
                       (Qt.Key_Right if here.x() < target.x() else Qt.Key_Left))
    qtbot.keyClick(view.medicines_button, Qt.Key_Space)
    qtbot.waitUntil(lambda: view.model.medicines_only and not view.model.reading, timeout=10000)
    assert {view.model.rows[r].case_id for r in range(view.model.rowCount())} == ALERTED


class Gate:
    """Holds the worklist reads the test is about (after ``armed``) until it opens; records each."""

    def __init__(self):
        self.armed = False
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.calls: list[dict] = []


@pytest.fixture
def gate(window, monkeypatch):
    g = Gate()
    real = CaseStore.worklist

    def held(self, *args, **kwargs):
        if not g.armed:
            return real(self, *args, **kwargs)
        g.calls.append({"thread": threading.current_thread(), "store": self, "kwargs": dict(kwargs)})
        g.entered.set()
        # a bounded hold: on the window's thread (the cause) this test fails rather than hangs
        g.opened.wait(10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(CaseStore, "worklist", held)
    yield g
    g.opened.set()


def _status(window) -> str:
    return window.statusBar().currentMessage()


def test_export_csv_of_the_filter_is_read_in_a_worker_and_written_whole_once_read(window, context, qtbot, gate,
                                                                                 monkeypatch, tmp_path):
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    out = tmp_path / "alerts.csv"
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, title, suggested, flt: out)
    audits = context.store.audit_count()
    gate.armed = True
    qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)  # returns: the window is not waiting
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    call = gate.calls[-1]
    assert call["thread"] is not threading.main_thread()
    assert call["store"] is not context.store  # a reader of its own, not the window's connection
    assert call["kwargs"].get("medicine_alerts_only") is True
    # nothing is written or reported saved while the cases are read; the status bar says what happens
    assert not out.exists()
    assert "reading the cases" in _status(window) and "no file is written until" in _status(window)
    assert context.store.audit_count() == audits
    # a second Ctrl+Shift+X meanwhile starts no second export
    qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    assert "still reading its cases" in _status(window) and len(gate.calls) == 1
    with qtbot.waitSignal(view.export_finished, timeout=20000) as finished:
        gate.opened.set()
    assert finished.args == [out]
    assert {r["case_id"] for r in _rows(out)} == ALERTED
    assert _status(window) == f"Saved 2 cases to {out}"
    [entry] = [e for e in context.store.audit()[audits:] if e.action == "worklist_csv_exported"]
    assert entry.detail["rows"] == 2


def test_an_export_that_meets_a_locked_database_writes_nothing_says_so_and_again_writes_it(
        locked_setup, qtbot, monkeypatch, tmp_path, caplog):
    from radiculopathy_desktop.ui.main_window import MainWindow

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop")  # the reads meeting the lock say so
    context, other = locked_setup
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    out = tmp_path / "alerts.csv"
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, title, suggested, flt: out)
    shown: list[BaseException] = []
    monkeypatch.setattr(exports, "show_error", lambda parent, exc, kept_input=False: shown.append(exc))
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, exc, kept_input=False: shown.append(exc))
    audits = context.store.audit_count()
    other.execute("BEGIN EXCLUSIVE")  # another program holds the database for longer than the busy timeout
    try:
        with qtbot.waitSignal(view.export_finished, timeout=20000) as finished:
            qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    finally:
        other.execute("ROLLBACK")
    assert finished.args == [None]
    assert not out.exists()  # no file, not even a part of one
    [said] = [str(e) for e in shown]
    assert said.startswith("The worklist was not exported: the cases could not be read, so no file was written")
    assert str(out) in said and "busy" in said
    assert "press Export CSV again (Ctrl+Shift+X)" in said
    assert not _status(window).startswith("Saved")
    assert context.store.audit_count() == audits
    # the other program is done: Ctrl+Shift+X again writes the whole file
    with qtbot.waitSignal(view.export_finished, timeout=20000) as finished:
        qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    assert finished.args == [out] and {r["case_id"] for r in _rows(out)} == ALERTED
    assert _status(window) == f"Saved 2 cases to {out}"
    window.close()


def test_a_search_under_the_filter_is_read_in_a_worker_and_says_searching(window, context, qtbot, gate):
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    empty_texts: list[str] = []
    real_set = view.empty_label.setText
    view.empty_label.setText = lambda t: (empty_texts.append(t), real_set(t))
    gate.armed = True
    qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)
    qtbot.keyClicks(view.search_box, "Pia")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    call = gate.calls[-1]
    assert call["thread"] is not threading.main_thread() and call["store"] is not context.store
    assert call["kwargs"].get("search") == "Pia" and not call["kwargs"].get("medicine_alerts_only")
    assert view.model.rowCount() == 0 and view.model.reading
    assert view.empty_label.isVisible() and view.empty_label.text() == worklist_ui.SEARCH_READING
    assert NO_MATCH not in empty_texts
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.model.reading and view.model.rowCount() == 1, timeout=10000)
    assert view.model.rows[0].case_id == "PREG-1-case"
    assert not view.empty_label.isVisible() and not view.read_error.isVisible()


def test_a_search_that_finds_nobody_says_so_only_once_read(window, qtbot, gate):
    """Boundary: "No case matches" is said for a search read, never before."""
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    gate.armed = True
    qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)
    qtbot.keyClicks(view.search_box, "zzz-nobody")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    assert view.empty_label.text() == worklist_ui.SEARCH_READING
    gate.opened.set()
    qtbot.waitUntil(lambda: not view.model.reading, timeout=10000)
    assert view.model.rowCount() == 0 and view.empty_label.text() == NO_MATCH


def test_a_search_that_meets_a_locked_database_says_so_with_try_again(locked_setup, qtbot, caplog):
    from radiculopathy_desktop.ui.main_window import MainWindow

    caplog.set_level(logging.WARNING, logger="radiculopathy_desktop")
    context, other = locked_setup
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    empty_texts: list[str] = []
    real_set = view.empty_label.setText
    view.empty_label.setText = lambda t: (empty_texts.append(t), real_set(t))
    other.execute("BEGIN EXCLUSIVE")
    try:
        qtbot.keyClick(window, Qt.Key_S, Qt.AltModifier)
        qtbot.keyClicks(view.search_box, "Pia")
        qtbot.keyClick(view.search_box, Qt.Key_Return)
        qtbot.waitUntil(lambda: view.model.error is not None and view.read_error.isVisible(), timeout=10000)
    finally:
        other.execute("ROLLBACK")
    assert NO_MATCH not in empty_texts  # never "no case matches" for a search not read
    text = view.read_error.text()
    assert text.startswith("The search could not be read, so the list below is not complete: it does not mean "
                           "that no case matches."), text
    assert "busy" in text and view.retry_button.isVisible()
    qtbot.mouseClick(view.retry_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not view.model.reading and view.model.rowCount() == 1 and not view.read_error.isVisible(),
                    timeout=10000)
    assert view.model.rows[0].case_id == "PREG-1-case"
    window.close()


def test_closing_the_window_while_an_export_is_read_writes_nothing_and_leaves_no_thread(window, context, qtbot, gate,
                                                                                      monkeypatch, tmp_path):
    view = window.views["worklist"]
    _medicine_alerts_by_keys(qtbot, window, view)
    out = tmp_path / "alerts.csv"
    monkeypatch.setattr(exports, "ask_save_path", lambda parent, title, suggested, flt: out)
    gate.armed = True
    qtbot.keyClick(window, Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.waitUntil(gate.entered.is_set, timeout=10000)
    threading.Timer(0.2, gate.opened.set).start()  # the held read ends on its own (a Python hold sees no interrupt)
    window.close()
    assert view.export_read.worker is None  # stopped and waited for
    assert not out.exists()


def test_on_the_clinic_server_the_export_and_a_search_are_read_in_read_only_transactions_off_the_window(
        qtbot, pg_database, tmp_path, monkeypatch):
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
            if not (kwargs.get("medicine_alerts_only") or kwargs.get("search")):
                return real(self, *args, **kwargs)
            with self._tx() as conn:  # the transaction the read joins
                seen.append((kwargs.get("search"), threading.current_thread() is threading.main_thread(),
                             conn.execute("SHOW transaction_read_only").fetchone()[0]))
                return real(self, *args, **kwargs)

        monkeypatch.setattr(PgStore, "worklist", read)
        context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
        view = WorklistView(context)  # the worklist view alone, as the list's own server test
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: view.medicines_button.text() == "Medicine alerts (2)", timeout=30000)
        qtbot.mouseClick(view.medicines_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: not view.model.reading, timeout=30000)
        out = tmp_path / "server.csv"
        monkeypatch.setattr(exports, "ask_save_path", lambda parent, title, suggested, flt: out)
        with qtbot.waitSignal(view.export_finished, timeout=30000) as finished:
            view.export_button.setFocus()
            qtbot.keyClick(view.export_button, Qt.Key_Space)
        assert finished.args == [out] and {r["case_id"] for r in _rows(out)} == ALERTED
        view.search_box.setFocus()
        qtbot.keyClicks(view.search_box, "Pia")
        qtbot.keyClick(view.search_box, Qt.Key_Return)
        qtbot.waitUntil(lambda: view.model.search == "Pia" and not view.model.reading, timeout=30000)
        assert [view.model.rows[r].case_id for r in range(view.model.rowCount())] == ["PREG-1-case"]
        assert "Pia" in [s for s, _m, _r in seen]
        assert seen and all(main is False and read_only == "on" for _s, main, read_only in seen), seen
        assert [e.action for e in store.audit()].count("worklist_csv_exported") == 1  # audited on the window's store
        view.stop_counting()
    finally:
        store.close()
