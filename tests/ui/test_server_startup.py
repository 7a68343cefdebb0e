"""Start-up on the clinic server (issues 15 and 17): the store is opened in a thread while
Qt starts, the driver is loaded before PySide6, and the server watch's own connection
starts once the window is on screen; none of it changes what the user sees or is told.

Runs against the throwaway PostgreSQL cluster (``pg_database``); skipped with the reason
when no cluster can be started here (never in CI)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

import pg_server as pgs
from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import main_window

from .conftest import TODAY

WAIT_MS = 30000  # an upper bound for a loaded machine, never a figure that is checked


def test_the_real_start_up_on_the_server_paints_the_first_page_with_the_store_opened_while_qt_started(
        server_store, pg_database, tmp_path):
    """run_app(server=URL) in its own process, as ``--server URL`` starts it: the worklist's
    first paint shows the server's first page in order; the store was opened in its own
    thread (the start-up took it from there), psycopg was loaded before PySide6, and the
    server watch had not started its thread at the paint but listens just after it."""
    script = r'''
import json, os, sys, threading
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module
opened_in = []
real_open = app_module.open_server_store
def open_server_store(url):
    opened_in.append(threading.current_thread().name)
    return real_open(url)
app_module.open_server_store = open_server_store
real = app_module.create_window
def create_window(context):
    from PySide6.QtCore import QTimer
    window = real(context)
    view = window.views["worklist"]
    seen = {}
    def painted():
        if view.model.rowCount() and not seen:
            order = list(sys.modules)
            seen.update(rows=[view.model.case_id(r) for r in range(view.model.rowCount())],
                        as_of=view.model.as_of.isoformat(), opened_in=opened_in,
                        main=threading.main_thread().name,
                        driver_first=order.index("psycopg") < order.index("PySide6"),
                        watch_thread_at_paint=window.server_watch._worker is not None,
                        kept_bar_at_paint=window.kept_bar is not None,
                        kept_modules_at_paint="radiculopathy_desktop.ui.offline_replay" in sys.modules)
            def listening():
                if window.server_watch.listening.is_set():
                    seen["listening_after"] = True
                    print(json.dumps(seen), flush=True)
                    os._exit(0)
                QTimer.singleShot(20, listening)
            listening()
    window.worklist_painted.connect(painted)
    return window
app_module.create_window = create_window
sys.exit(app_module.run_app(Path(sys.argv[1]), server=sys.argv[2]))
'''
    url = pg_database(pgs.CLINICIAN_LOGIN)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"))
    (tmp_path / "ws").mkdir(mode=0o700)
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "ws"), url], capture_output=True, text=True,
                         timeout=180, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    as_of = dt.date.fromisoformat(shown["as_of"])
    expected = [r.case_id for r in server_store.worklist(as_of, limit=200)]
    assert expected and shown["rows"] == expected
    assert shown["opened_in"] == ["clinic-server-open"] and shown["main"] != "clinic-server-open"
    assert shown["driver_first"]
    assert not shown["watch_thread_at_paint"] and shown["listening_after"]
    assert not shown["kept_bar_at_paint"] and not shown["kept_modules_at_paint"]


def test_an_unreachable_server_opened_early_is_explained_as_before_and_nothing_opens(
        qtbot, pg_server, pg_database, tmp_path):
    shown = []
    url = pg_server.url(pg_database.dbname, pgs.CLINICIAN_LOGIN).replace(f"port={pg_server.port}", "port=1")
    controller = app_module.AppController(QApplication.instance(), tmp_path / "local",
                                          exec_dialog=lambda d: shown.append(d.message_label.text()),
                                          server=url, opening=app_module.ServerOpening(url))
    try:
        assert controller.start() == 3
        assert controller.window is None and len(shown) == 1
        assert "cannot be reached" in shown[0] and f"local socket/{pg_database.dbname}" in shown[0]
        assert "Traceback" not in shown[0]
        assert controller.opening is None  # taken, so nothing is left to close
    finally:
        controller.shutdown()


class _FakeStore:
    closed = 0

    def close(self):
        _FakeStore.closed += 1


def test_an_early_opening_hands_over_the_store_or_the_error_and_a_store_never_taken_is_closed(monkeypatch):
    monkeypatch.setattr(app_module, "open_server_store", lambda url: _FakeStore())
    opening = app_module.ServerOpening("postgresql://x@/db")
    store = opening.result()
    assert isinstance(store, _FakeStore)
    opening.discard()  # already taken: not closed by the opening
    assert _FakeStore.closed == 0

    opening = app_module.ServerOpening("postgresql://x@/db")
    opening.discard()  # the start-up stopped before taking it
    assert _FakeStore.closed == 1

    failure = StorageError(StorageErrorKind.PERMISSION, "refused")

    def refuse(url):
        raise failure
    monkeypatch.setattr(app_module, "open_server_store", refuse)
    opening = app_module.ServerOpening("postgresql://x@/db")
    with pytest.raises(StorageError) as raised:
        opening.result()
    assert raised.value is failure  # the same error, shown by the same dialog
    opening.discard()


def test_the_start_up_stopping_before_the_window_closes_the_server_store_it_did_not_take(
        qtbot, pg_database, tmp_path, monkeypatch):
    closed = []
    monkeypatch.setattr(app_module, "open_server_store", lambda url: type("S", (), {
        "close": lambda self: closed.append(url)})())
    url = pg_database(pgs.CLINICIAN_LOGIN)
    controller = app_module.AppController(QApplication.instance(), tmp_path / "local",
                                          exec_dialog=lambda d: None, server=url,
                                          opening=app_module.ServerOpening(url))
    controller.shutdown()  # e.g. the crash guard or the data folder failed before the store was taken
    assert closed == [url]


def _window(qtbot, store, tmp_path):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    context = AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
    w = main_window.MainWindow(context)
    qtbot.addWidget(w)
    return w


def test_the_server_watch_exists_at_once_and_connects_once_the_window_is_on_screen(qtbot, server_store, tmp_path):
    w = _window(qtbot, server_store, tmp_path)
    try:
        watch = w.server_watch
        assert watch is not None and w.context.extra["server_watch"] is watch  # saves report to it from the start
        assert watch._worker is None  # no thread, no connection before the window is on screen
        assert w.kept_bar is None  # nor the kept-writes bar (hidden until something was kept)
        w.show()
        qtbot.waitUntil(lambda: watch.listening.is_set(), timeout=WAIT_MS)
        assert watch.state is True
        layout = w._main_column  # built at the start, above the sections, hidden: nothing was kept
        assert w.kept_bar is not None and not w.kept_bar.isVisible()
        assert layout.indexOf(w.kept_bar) == layout.indexOf(w.draft_bar) + 1 < layout.indexOf(w.stack)
        w._start_server_watch()  # the fallback firing later starts nothing more
        assert w.server_watch is watch
    finally:
        w.stop_server_watch()


def test_a_window_never_painted_still_starts_its_server_watch(qtbot, server_store, tmp_path, monkeypatch):
    monkeypatch.setattr(main_window.MainWindow, "SERVER_WATCH_FALLBACK_MS", 50)
    w = _window(qtbot, server_store, tmp_path)  # never shown (e.g. started minimised)
    try:
        qtbot.waitUntil(lambda: w.server_watch is not None and w.server_watch.listening.is_set(), timeout=WAIT_MS)
    finally:
        w.stop_server_watch()


def test_a_watch_stopped_before_it_started_is_never_started(qtbot, server_store, tmp_path):
    w = _window(qtbot, server_store, tmp_path)
    watch = w.server_watch
    w.stop_server_watch()
    w._start_server_watch()  # the first paint or the fallback, after the window was closed
    assert w.server_watch is None and watch._worker is None
