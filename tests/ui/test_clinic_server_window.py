"""The window on the clinic server (issue 15): opened with --server (or the environment),
it names the server, saves an intake and a visit through the dialogs onto the server,
and the file-only features say what to do instead.

Runs against the throwaway PostgreSQL cluster (``pg_database``); skipped with the reason
when no cluster can be started here (never in CI)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

import pg_server as pgs
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.ui import app as app_module
from radiculopathy_desktop.ui import wizard as wizard_module

from .conftest import NO_FLAGS, TODAY, case_dict


@pytest.fixture
def server_window(qtbot, server_store, tmp_path):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow
    context = AppContext(store=server_store, hub=EventHub(), data_dir=tmp_path / "local", today=lambda: TODAY)
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stop_server_watch()  # its own connection ends before the test database is dropped


def _ready_intake(pid):
    data = case_dict(pid, "Sam Server", 0, red_flags=NO_FLAGS)
    for key in ("case_id", "visits", "decisions"):
        data.pop(key)
    return data


def test_the_window_names_the_server_and_saves_an_intake_and_a_visit_through_the_dialogs(
        server_window, qtbot, pg_database, pg_server):
    window = server_window
    label = f"Clinic server local socket/{pg_database.dbname}"
    assert window.tracker_label.text() == label
    assert label in window.windowTitle()
    assert "Connected: " + label in window.statusBar().currentMessage()

    # an intake through the wizard, saved with its Save button
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    wiz.load(_ready_intake("P-SRV"))
    wiz._go(len(wiz.pages) - 1)
    qtbot.mouseClick(wiz.save_button, Qt.LeftButton)
    case_id = window.patient_view.case_id
    assert case_id.startswith("P-SRV")

    # a follow-up visit through the visit dialog
    dialog = window.patient_view.add_visit()
    qtbot.waitExposed(dialog)
    dialog.leg.setFocus()
    dialog.leg.selectAll()
    qtbot.keyClicks(dialog.leg.lineEdit(), "3")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    # the intake is today's record too: asked first (rt20 F4), and added as a second record of the day
    qtbot.waitUntil(lambda: dialog.same_day_box is not None and dialog.same_day_box.isVisible())
    assert "already has the intake of" in dialog.same_day_box.text()
    [second] = [b for b in dialog.same_day_box.buttons() if b.text() == "Add a &second visit that day"]
    qtbot.mouseClick(second, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    # another workstation (another login) sees both on the server, audited under this login
    with PgStore.open(pg_database(pgs.OTHER_CLINICIAN_LOGIN)) as other:
        case = other.get_case(case_id)
        assert case.patient.name == "Sam Server"
        assert [v.leg_nrs for v in case.visits] == [3]
        actions = [(e.action, e.role) for e in other.audit(case_id)]
    assert ("case_added", pgs.CLINICIAN_LOGIN) in actions and ("visit_added", pgs.CLINICIAN_LOGIN) in actions
    assert window.context.store.load_draft(wizard_module.DRAFT_KEY) is None


def test_settings_explain_backups_on_a_server_instead_of_copying_a_file(server_window, qtbot):
    from radiculopathy_desktop.ui.server_view import ServerDataView
    settings = server_window.show_view("settings")
    assert isinstance(settings.backups, ServerDataView)
    text = settings.backups.explanation.text()
    assert "docs/clinic-server/backup.sh" in text and "pg_dump" in text and "server check" in text
    assert settings.backups.tracker.text().startswith("Clinic server ")
    # saving the settings still works (no local "backups to keep" on a server)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.message.text() == ""


def test_the_app_started_on_the_server_skips_the_file_checks_and_says_where_backups_are(
        qtbot, server_store, pg_database, tmp_path, monkeypatch):
    def no_file_work(*_a, **_k):
        raise AssertionError("a SQLite file check or backup was started on a clinic server")

    monkeypatch.setattr("radiculopathy_desktop.ui.backup_schedule.quick_check", no_file_work)
    controller = app_module.AppController(QApplication.instance(), tmp_path / "local",
                                          exec_dialog=lambda d: pytest.fail(f"unexpected dialog {d.windowTitle()}"),
                                          server=pg_database(pgs.CLINICIAN_LOGIN))
    try:
        assert controller.start() is None
        window = controller.window
        qtbot.waitUntil(lambda: controller._painted, timeout=20000)
        assert window.tracker_label.text().startswith("Clinic server ")
        assert controller.instance is None  # the one-window-per-folder rule is for a local file
        assert controller.scheduler is None and controller.check_worker is None
        assert controller.backup_label.text() == app_module.SERVER_BACKUP_SHORT
        assert "pg_dump" in controller.backup_label.toolTip()
        assert not (tmp_path / "local" / "radiculopathy.sqlite3").exists()  # no local tracker was made
    finally:
        controller.shutdown()


def test_an_unreachable_server_at_start_is_explained_and_nothing_opens(qtbot, pg_server, pg_database, tmp_path):
    shown = []
    url = pg_server.url(pg_database.dbname, pgs.CLINICIAN_LOGIN).replace(f"port={pg_server.port}", "port=1")
    controller = app_module.AppController(QApplication.instance(), tmp_path / "local",
                                          exec_dialog=lambda d: shown.append(d.message_label.text()),
                                          server=url)
    try:
        assert controller.start() == 3
        assert controller.window is None and len(shown) == 1
        assert "cannot be reached" in shown[0] and f"local socket/{pg_database.dbname}" in shown[0]
        assert "Traceback" not in shown[0]
    finally:
        controller.shutdown()


def test_the_local_window_names_its_file(window):
    assert window.tracker_label.text() == f"Local file {window.context.store.path}"
    assert f"Local file {window.context.store.path}" in window.windowTitle()


def test_settings_data_names_the_tracker_and_writes_this_users_server_conf(window, qtbot):
    from radiculopathy_desktop.storage.pg.connection import configured_server
    from radiculopathy_desktop.ui.server_view import user_config_file
    box = window.show_view("settings").server_box
    assert box.in_use.text() == f"Local file {window.context.store.path}"
    # a password in the address is refused in words and nothing is written
    box.url.setText("postgresql://dr_ada:secret@clinic-db/radiculopathy")
    qtbot.mouseClick(box.use_button, Qt.LeftButton)
    assert box.result.text().startswith("Not saved:") and "password" in box.result.text()
    assert not user_config_file().exists()
    # so is an unencrypted connection to another machine
    box.url.setText("postgresql://dr_ada@clinic-db/radiculopathy?sslmode=disable")
    qtbot.mouseClick(box.use_button, Qt.LeftButton)
    assert "encrypted" in box.result.text() and not user_config_file().exists()
    box.url.setText("postgresql://dr_ada@clinic-db/radiculopathy")
    qtbot.mouseClick(box.use_button, Qt.LeftButton)
    assert "Start Radiculopathy Desktop again" in box.result.text()
    assert (user_config_file().stat().st_mode & 0o777) == 0o600
    assert configured_server(None) == ("postgresql://dr_ada@clinic-db/radiculopathy", str(user_config_file()))
    qtbot.mouseClick(box.local_button, Qt.LeftButton)
    assert not user_config_file().exists() and configured_server(None) is None
