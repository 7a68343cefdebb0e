"""The running window's upkeep, once the start-up sequence has shown it (ui/startup.py).

:class:`MaintenanceController`: after the worklist has painted, the network-drive notice;
a read-only quick check in a thread (damage: writes stop, the banner and the recovery
dialog say what to do; choosing a backup closes the window and the start-up sequence
restores and reopens); then the daily backup, checked and pruned, again every hour, in a
thread, with the "Last backup" label and a warning when it fails.

It reads the run's state (the window, the store, the data folder...) from the start-up
sequence that owns it, under the same names.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

log = logging.getLogger("radiculopathy_desktop.ui")


SERVER_BACKUP_HELP = (
    "The tracker is on the clinic server, so this computer copies no database file. IT backs the server up with "
    "PostgreSQL's own tools: docs/clinic-server/backup.sh makes a pg_dump custom-format dump, checks it with "
    "pg_restore --list and keeps it owner-only; `radiculopathy-desktop server check` reports the server's state "
    "(README, Clinic server).")


def _app():
    """ui/app.py, where the texts and the replaceable helpers live (tests replace them there)."""
    from radiculopathy_desktop.ui import app
    return app


class MaintenanceController:
    """Status-bar widgets, the first-paint work, the quick check, damage, and the backup scheduler."""

    def __init__(self, owner):
        self.owner = owner  # the StartupSequence: window, store, context, data folder
        self.damaged = False
        self.scheduler = None
        self.check_worker = None
        self.network_dialog = None
        self.backup_warning = None
        self._painted = False

    # -- the run's state, kept by the start-up sequence
    app = property(lambda self: self.owner.app)
    window = property(lambda self: self.owner.window)

    def _get_store(self):
        return self.owner.store

    def _set_store(self, store) -> None:  # a restore from the Backups view replaced it
        self.owner.store = store

    store = property(_get_store, _set_store)

    context = property(lambda self: self.owner.context)
    data_dir = property(lambda self: self.owner.data_dir)
    demo = property(lambda self: self.owner.demo)
    network = property(lambda self: self.owner.network)

    @property
    def recovery_dialog(self):
        return self.owner.recovery_dialog

    @recovery_dialog.setter
    def recovery_dialog(self, dialog) -> None:
        self.owner.recovery_dialog = dialog

    @property
    def pending_restore(self):
        return self.owner.pending_restore

    @pending_restore.setter
    def pending_restore(self, value) -> None:
        self.owner.pending_restore = value

    # -- a window shown, a window closing
    def attach(self, window) -> None:
        """A new window (and store) is up: its status widgets; the first-paint work is still to come."""
        self.damaged = False
        self._add_status_widgets(window)
        self._painted = False

    def stop(self) -> None:
        """The window and the store are about to close: a backup under way finishes first."""
        if self.scheduler is not None:
            self.scheduler.stop()  # a backup under way finishes; it is never left half-written
            self.scheduler.deleteLater()
            self.scheduler = None
        self._finish_check_worker()
        for dialog in (self.network_dialog, self.backup_warning):
            if dialog is not None:
                with contextlib.suppress(RuntimeError):
                    dialog.close()
        self.network_dialog = self.backup_warning = None

    def _add_status_widgets(self, window) -> None:
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

        bar = window.statusBar()
        self.backup_label = QLabel("")
        self.backup_label.setAccessibleName("Last backup")
        bar.addPermanentWidget(self.backup_label)
        self.damage_widget = QWidget()
        row = QHBoxLayout(self.damage_widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.damage_label = QLabel("<b style='color:#a40000'>Database damaged: changes are not saved</b>")
        self.damage_label.setAccessibleName("Database damaged: changes are not saved")
        self.damage_button = QPushButton("What to do…")
        self.damage_button.setAccessibleName("What to do about the damaged database")
        self.damage_button.clicked.connect(self._show_recovery_again)
        row.addWidget(self.damage_label)
        row.addWidget(self.damage_button)
        self.damage_widget.hide()
        bar.addPermanentWidget(self.damage_widget)
        self.network_widget = QWidget()
        row = QHBoxLayout(self.network_widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.network_label = QLabel(_app().NETWORK_SHORT)
        self.network_label.setAccessibleName(_app().NETWORK_SHORT)
        self.network_button = QPushButton("Why?")
        self.network_button.setAccessibleName("Why a network drive matters")
        self.network_button.clicked.connect(self.show_network_notice)
        row.addWidget(self.network_label)
        row.addWidget(self.network_button)
        self.network_widget.setVisible(self.network)
        bar.addPermanentWidget(self.network_widget)

    def _after_first_paint(self) -> None:
        """Work that must not delay the first paint: the network notice, the quick check, backups."""
        window = self.window
        if self._painted or window is None:
            return
        self._painted = True
        if self.network and str(self.data_dir) not in _app()._network_notice_shown:
            _app()._network_notice_shown.add(str(self.data_dir))
            self.show_network_notice()
        self._update_backup_label()
        if self.on_server:
            # The checks and backups below copy and read a local SQLite file. A clinic server is
            # checked (`server check`) and backed up (pg_dump, docs/clinic-server/backup.sh) by IT.
            return
        if not self.demo:
            self.start_quick_check()

    def show_network_notice(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox
        if self.window is None:
            return
        if self.network_dialog is not None:
            from radiculopathy_desktop.ui.single_instance import raise_window
            with contextlib.suppress(RuntimeError):
                self.network_dialog.show()
                raise_window(self.network_dialog)
                return
        box = QMessageBox(QMessageBox.Warning, _app().NETWORK_TITLE, _app().network_explanation(Path(self.data_dir)),
                          QMessageBox.Close, self.window)
        box.setWindowModality(Qt.NonModal)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "network_dialog", None))
        self.network_dialog = box
        box.show()

    @property
    def on_server(self) -> bool:
        """True when the tracker is on a clinic server (no local database file to check or copy)."""
        return self.store is not None and getattr(self.store, "path", "") is None

    def _update_backup_label(self, failed: bool = False) -> None:
        if self.window is None or self.demo:
            return
        if self.on_server:
            self.backup_label.setText(_app().SERVER_BACKUP_SHORT)
            self.backup_label.setToolTip(SERVER_BACKUP_HELP)
            return
        newest = _app()._newest_backup_text(self.data_dir)
        text = f"Last backup: {newest}" if newest else "No backup yet"
        if failed:
            text += " (the last attempt failed)"
        self.backup_label.setText(text)

    def start_quick_check(self) -> bool:
        from PySide6.QtCore import QThread

        from radiculopathy_desktop.ui.backup_schedule import Worker, quick_check
        if self.store is None or self.on_server or (self.check_worker is not None and self.check_worker.isRunning()):
            return False
        data_dir = self.data_dir
        worker = Worker(lambda: quick_check(data_dir))
        worker.succeeded.connect(self._quick_check_done)
        worker.failed.connect(self._quick_check_failed)
        self.check_worker = worker
        worker.start(QThread.LowPriority)
        return True

    def _quick_check_done(self, result) -> None:
        self._finish_check_worker()
        if self.store is None:
            return
        if result.ok:
            log.info("background quick check: ok")
            self.start_backups()
            return
        self._damage_found(result)

    def _quick_check_failed(self, exc: BaseException) -> None:
        self._finish_check_worker()
        kind = getattr(exc, "kind", None)
        if kind == "locked":
            log.info("background quick check skipped: the database was busy")
            self.start_backups()
            return
        if kind is None:
            from radiculopathy_desktop import logs
            logs.log_unexpected(exc)
        log.warning("background quick check could not run (%s%s)", type(exc).__name__, f", {kind}" if kind else "")
        if self.window is not None and kind is not None:
            from radiculopathy_desktop.ui.errors import show_error
            show_error(self.window, exc)

    def _finish_check_worker(self) -> None:
        worker, self.check_worker = self.check_worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()

    def _damage_found(self, result) -> None:
        from PySide6.QtCore import Qt

        from radiculopathy_desktop.storage import backup
        from radiculopathy_desktop.ui.recovery import RecoveryDialog

        self.damaged = True
        try:  # writes stop: SQLite refuses any change on this connection from now on
            self.store.set_read_only(True)
        except Exception:  # noqa: BLE001 - the banner and the dialog still say so
            log.error("writes could not be switched off on the damaged database")
        if self.scheduler is not None:
            self.scheduler.stop(wait=False)
        self.damage_widget.show()
        problem = "; ".join(result.issues[:5]) + (" …" if len(result.issues) > 5 else "")
        dialog = RecoveryDialog(self.store.path, problem, result.good, backup.backup_folder(self.data_dir),
                                running=True, parent=self.window)
        dialog.setWindowModality(Qt.WindowModal)
        dialog.finished.connect(lambda _code, d=dialog: self._recovery_choice(d))
        self.recovery_dialog = dialog
        dialog.show()

    def _store_replaced(self, *_args) -> None:
        """A backup was restored from inside the window: follow the new store, and check it."""
        if self.context is None:
            return
        self.store = self.context.store
        if self.damaged:
            self.damaged = False
            self.damage_widget.hide()
            if self.recovery_dialog is not None:
                with contextlib.suppress(RuntimeError):
                    self.recovery_dialog.close()
                self.recovery_dialog = None
            if self._painted:
                self.start_quick_check()
        self._update_backup_label()

    def _show_recovery_again(self) -> None:
        dialog = self.recovery_dialog
        if dialog is not None:
            from radiculopathy_desktop.ui.single_instance import raise_window
            dialog.choice = None
            dialog.show()
            raise_window(dialog)

    def _recovery_choice(self, dialog) -> None:
        if dialog.choice != "restore" or dialog.good is None or self.store is None:
            return
        from radiculopathy_desktop.storage import backup
        from radiculopathy_desktop.ui.errors import show_error
        try:  # the damaged bytes, taken before the connection closes (closing may checkpoint the WAL)
            kept = backup.keep_damaged_copy(self.store.path)
        except Exception as exc:
            show_error(self.window, exc)
            return
        self.pending_restore = (dialog.good, kept)
        self.window.close()
        if self.window.isVisible():  # the user chose to stay (an unfinished intake)
            self.pending_restore = None
            return
        self.app.quit()

    def start_backups(self) -> None:
        from radiculopathy_desktop.ui.backup_schedule import BackupScheduler
        if self.demo or self.damaged or self.store is None or self.on_server:
            return
        if self.scheduler is None:
            self.scheduler = BackupScheduler(self.data_dir, self._keep_count)
            self.scheduler.made.connect(self._backup_made)
            self.scheduler.failed.connect(self._backup_failed)
        self.scheduler.start()

    def _keep_count(self) -> int:
        from radiculopathy_desktop.storage import backup, backup_settings
        if self.store is None:
            return backup.default_keep()
        return backup_settings.get_backup_keep(self.store)

    def _backup_made(self, result) -> None:
        if self.window is None:
            return
        self._update_backup_label()
        self.window.statusBar().showMessage("Daily backup made and checked.", 10000)
        if self.backup_warning is not None:
            with contextlib.suppress(RuntimeError):
                self.backup_warning.close()

    def _backup_failed(self, exc: BaseException) -> None:
        from PySide6.QtCore import Qt

        from radiculopathy_desktop.storage import backup
        from radiculopathy_desktop.ui.backup_schedule import BackupWarning, backup_failure_text
        if self.window is None:
            return
        text = backup_failure_text(exc, backup.backup_folder(self.data_dir), _app()._newest_backup_text(self.data_dir))
        self._update_backup_label(failed=True)
        self.window.statusBar().showMessage("The daily backup failed: see the warning.", 10000)
        if getattr(exc, "kind", None) == "corrupt":
            self.start_quick_check()
        if self.backup_warning is not None:
            from radiculopathy_desktop.ui.single_instance import raise_window
            with contextlib.suppress(RuntimeError):
                self.backup_warning.set_text(text)
                self.backup_warning.show()
                raise_window(self.backup_warning)
                return
        warning = BackupWarning(text, self.window)
        warning.setAttribute(Qt.WA_DeleteOnClose)
        warning.destroyed.connect(lambda *_: setattr(self, "backup_warning", None))
        self.backup_warning = warning
        warning.show()
