"""Starting the window safely: one instance per data folder, recovery, crash and backup guards.

:class:`AppController` (driven by :func:`run_app`):

1. hands over to a window already open on the same data folder (it comes forward;
   this launch exits 0 without opening the database);
2. opens the store; a damaged, not-a-database or unreadable file is never changed:
   the recovery dialog explains and offers the newest good backup (the damaged file
   is copied aside first); other problems are explained and the app exits 3;
3. refuses WAL on a network file system and explains to IT why a local disk is needed;
4. installs the crash guard (draft kept, scrubbed crash log, plain-language dialog);
5. after the worklist has painted: a read-only ``PRAGMA quick_check`` in a thread
   (damage: writes stop and the recovery dialog opens), then the daily backup, checked
   and pruned, again every hour, in a thread.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("radiculopathy_desktop.ui")


def ensure_application(argv: list[str] | None = None):
    """The QApplication, created once with fractional scaling (125 %, 150 %...) kept exact."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    from radiculopathy_desktop import APP_NAME, __version__
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("radiculopathy-desktop")
    return app


def open_store(data_dir: Path | None):
    from radiculopathy_desktop.storage.store import CaseStore
    return CaseStore.open(data_dir)


def populate_demo(store, cases: int, seed: int = 1, as_of=None, batch: int = 2000) -> None:
    """Write a generated demo cohort (invented patients only) into ``store``."""
    import datetime as dt
    from radiculopathy_desktop import demo
    from radiculopathy_desktop.domain.intake import parse_case

    chunk = []
    for data in demo.generate_case_dicts(cases, seed=seed, as_of=as_of or dt.date.today()):
        chunk.append(parse_case(data))
        if len(chunk) >= batch:
            store.import_cases(chunk, user="demo")
            chunk = []
    if chunk:
        store.import_cases(chunk, user="demo")


def make_demo_dir(cases: int = 400) -> Path:
    """A temporary data folder holding a generated demo cohort."""
    folder = Path(tempfile.mkdtemp(prefix="radiculopathy-demo-"))
    store = open_store(folder)
    try:
        populate_demo(store, cases)
    finally:
        with contextlib.suppress(Exception):
            store.close()
    return folder


def demo_command() -> tuple[str, list[str]]:
    """How to start this same app in demo mode (a frozen build is its own executable)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "radiculopathy_desktop", "--demo"]


def start_demo_instance() -> None:
    """Start a second window of the app on a temporary demo cohort.

    A separate process with its own temporary data folder (``--demo``), so demo patients
    can never be written into the clinic's database. Tests replace this function.
    """
    from PySide6.QtCore import QProcess

    from radiculopathy_desktop.errors import UserError
    program, args = demo_command()
    ok, _pid = QProcess.startDetached(program, args)
    if not ok:
        raise UserError("The demo cohort could not be started. Try the command "
                        "'radiculopathy-desktop --demo' instead.")


def create_window(context):
    from radiculopathy_desktop.ui.main_window import MainWindow
    return MainWindow(context)


NETWORK_TITLE = "The data folder is on a network drive"
NETWORK_SHORT = "Data folder on a network drive: slower journal, one computer at a time"
_network_notice_shown: set[str] = set()  # data folders whose network notice was shown in this session


def network_explanation(folder: Path) -> str:
    """Why a local disk is needed, for the clinic's IT (shown once per folder per session)."""
    return (
        f"The data folder is on a network drive (NFS or SMB/Windows share):\n{folder}\n\n"
        "Radiculopathy Desktop normally uses SQLite's WAL journal, which is fast and safe on a local disk. WAL "
        "cannot be used safely on a network file system: its shared-memory index (the -shm file) only works when "
        "every program using the database runs on the same computer. So on this drive the app uses SQLite's "
        "older rollback journal instead, which is slower.\n\n"
        "Even then, SQLite's file locking over network shares is unreliable: if two computers write to this "
        "database at the same time, it can be corrupted.\n\n"
        "What IT should do: move the data folder to a local disk of this computer and start the app with "
        "--data-dir FOLDER (or set the environment variable RADICULOPATHY_DESKTOP_DATA_DIR=FOLDER); then back "
        "it up to the network share instead (copy the backups folder there, or run "
        "radiculopathy-desktop backup --to SHARE_FOLDER). Until then, open this folder from one computer at a "
        "time.")


def network_wal_error(path: Path):
    from radiculopathy_desktop.domain.vocab import StorageErrorKind
    from radiculopathy_desktop.storage.db import StorageError
    return StorageError(StorageErrorKind.LOCKED, (
        "The database is on a network drive and is still in WAL mode, which means another program or another "
        "computer has it open. WAL is not safe on a network drive, so the app did not use it. Nothing was "
        "changed. Close Radiculopathy Desktop on the other computers (and any other program using the file), "
        f"then start again. Better: move the data folder to a local disk (--data-dir). Database: {path}"))


LOCKED_HINT = ("No other Radiculopathy Desktop window has this data folder open on this computer, so another "
               "program is using the database (for example a backup or sync tool, a command in a terminal, or "
               "another computer if the folder is on a shared drive).")


NETWORK_LOCKED_HINT = (
    "The data folder is on a network drive, where another computer may have the database open. There the app "
    "must switch the database out of WAL mode (WAL is not safe on a network drive), which is only possible "
    "when no other computer or program has it open. Close Radiculopathy Desktop on the other computers and try "
    "again; better, move the data folder to a local disk (--data-dir).")


def _say(text: str) -> None:
    """Print for a launch from a terminal (a windowed launch may have no stdout)."""
    with contextlib.suppress(Exception):
        if sys.stdout is not None:
            print(text, flush=True)


def _newest_backup_text(data_dir: Path) -> str | None:
    """"today at 09:14" for the newest backup file (a directory listing; no file is opened)."""
    import datetime as dt

    from radiculopathy_desktop.storage import backup
    try:
        found = backup.list_backups(backup.backup_folder(data_dir))
        if not found:
            return None
        when = dt.datetime.fromtimestamp(found[-1].stat().st_mtime)
    except OSError:
        return None
    days = (dt.date.today() - when.date()).days
    day = "today" if days == 0 else "yesterday" if days == 1 else f"{when.day} {when.strftime('%b %Y')}"
    return f"{day} at {when.strftime('%H:%M')}"


class AppController:
    """One run of the window, from the single-instance check to shutdown (see the module docstring).

    ``exec_dialog`` runs a modal dialog before the main window exists (recovery, start-up
    errors); tests pass a function that drives the dialog without blocking.
    """

    FIRST_PAINT_FALLBACK_MS = 3000

    def __init__(self, app, data_dir: Path | None = None, demo: bool = False, exec_dialog=None):
        self.app = app
        self.requested_dir = data_dir
        self.demo = demo
        self.exec_dialog = exec_dialog or (lambda dialog: dialog.exec())
        self.demo_dir: Path | None = None
        self.data_dir: Path | None = None
        self.instance = None
        self.guard = None
        self.store = None
        self.context = None
        self.window = None
        self.network = False
        self.damaged = False
        self.scheduler = None
        self.check_worker = None
        self.pending_restore = None  # (GoodBackup, damaged copy) chosen while running
        self.notices: list[str] = []  # shown in the next window's status bar
        self.recovery_dialog = None
        self.network_dialog = None
        self.backup_warning = None
        self._painted = False

    # ------------------------------------------------------------------ start
    def start(self) -> int | None:
        """Everything up to the window being shown: None to run the event loop, else an exit code."""
        from radiculopathy_desktop.storage.paths import resolve_data_dir
        from radiculopathy_desktop.ui.errors import CrashGuard
        from radiculopathy_desktop.ui.single_instance import ALREADY_OPEN, NOT_ANSWERING, SingleInstance

        if self.demo:
            try:
                self.demo_dir = make_demo_dir()
            except Exception as exc:  # shown in words, never a traceback
                self._show_start_error(exc)
                return 3
            self.data_dir = self.demo_dir  # a new temporary folder: never shared, no instance check
        else:
            self.data_dir = resolve_data_dir(self.requested_dir)
            self.instance = SingleInstance(self.data_dir)
            state = self.instance.start()
            if state == "forwarded":
                log.info("this data folder is open in another window: handed over and exiting")
                _say(ALREADY_OPEN)
                return 0
            if state == "not_answering":
                log.info("this data folder is open in another window that did not answer")
                _say(NOT_ANSWERING)
                self._show_message("Radiculopathy Desktop is already open", NOT_ANSWERING)
                return 3
            self.instance.activation_requested.connect(self._bring_forward)
        self.guard = CrashGuard(lambda: self.window, self._save_intake_draft)
        self.guard.install()
        return self._open_and_show()

    def _open_and_show(self) -> int | None:
        from PySide6.QtCore import QTimer

        from radiculopathy_desktop.storage import paths
        from radiculopathy_desktop.errors import UserError
        from radiculopathy_desktop.ui.context import AppContext, move_clinic_preferences
        from radiculopathy_desktop.ui.events import EventHub

        store = self._open_with_recovery()
        if store is None:
            return 3
        self.network = False
        try:
            self.network = paths.is_network_filesystem(store.data_dir)
            if self.network:
                if store.journal_mode() == "wal":
                    raise network_wal_error(store.path)
        except Exception as exc:
            with contextlib.suppress(Exception):
                store.close()
            self._show_start_error(exc)
            return 3
        self.store = store
        self.damaged = False
        self.context = AppContext(store=store, hub=EventHub(), data_dir=Path(store.data_dir), demo=self.demo)
        try:  # once: the clinic details earlier versions kept in the user's preferences move into the database
            move_clinic_preferences(self.context)
        except UserError as exc:  # busy or read-only now: tried again at the next start
            log.info("clinic details not moved into the database this time (%s)", getattr(exc, "kind", "error"))
        self.window = window = create_window(self.context)
        replaced = getattr(self.context.hub, "store_replaced", None)
        if replaced is not None:  # a restore from the Backups view swaps context.store
            replaced.connect(self._store_replaced)
        self._add_status_widgets(window)
        self._painted = False
        painted = getattr(window, "worklist_painted", None)
        if painted is not None:  # after the paint has finished, so the counts are not held up
            painted.connect(lambda: QTimer.singleShot(0, window, self._after_first_paint))
        # An empty worklist (first run) paints no table: start the background work anyway.
        QTimer.singleShot(self.FIRST_PAINT_FALLBACK_MS, window, self._after_first_paint)
        window.show()
        for notice in self.notices:
            window.statusBar().showMessage(notice, 30000)
        self.notices.clear()
        return None

    def _open_with_recovery(self):
        from radiculopathy_desktop.storage.db import StorageError
        from radiculopathy_desktop.storage.paths import database_path

        while True:
            try:
                return open_store(self.data_dir)
            except StorageError as exc:
                from radiculopathy_desktop.ui.recovery import RECOVERABLE_KINDS  # only when it is needed
                if exc.kind in RECOVERABLE_KINDS and database_path(self.data_dir).is_file():
                    if self._recover_at_start(exc):
                        continue
                    return None
                self._show_start_error(exc)
                return None
            except Exception as exc:  # shown in words; the details go to the crash log
                from radiculopathy_desktop import logs
                logs.log_unexpected(exc)
                self._show_start_error(exc)
                return None

    def _recover_at_start(self, exc) -> bool:
        """The recovery dialog for a damaged file; True when a backup was restored (open again)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication

        from radiculopathy_desktop.storage import backup
        from radiculopathy_desktop.storage.paths import database_path
        from radiculopathy_desktop.ui.recovery import RecoveryDialog, describe_backup

        path = database_path(self.data_dir)
        folder = backup.backup_folder(self.data_dir)
        log.warning("the database could not be opened (%s): recovery offered", exc.kind)
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            good = backup.newest_good_backup(folder)
        finally:
            QGuiApplication.restoreOverrideCursor()
        dialog = RecoveryDialog(path, exc.message, good, folder, kind=exc.kind)
        self.recovery_dialog = dialog
        try:
            self.exec_dialog(dialog)
            choice = dialog.choice
        finally:
            self.recovery_dialog = None
            dialog.deleteLater()
        if choice != "restore" or good is None:
            return False
        try:
            result = backup.restore_damaged(good.path, self.data_dir)
        except Exception as err:
            self._show_start_error(err)
            return True  # the file is still damaged: the dialog comes back with the choices
        self.notices.append(f"Restored the backup of {describe_backup(good)}. The damaged file was kept: "
                            f"{result.safety_backup}")
        log.info("a damaged database was replaced by its newest good backup at start-up")
        return True

    def _show_start_error(self, exc: BaseException) -> None:
        from radiculopathy_desktop.storage import paths
        from radiculopathy_desktop.ui.errors import ErrorDialog
        extra = ""
        if getattr(exc, "kind", None) == "locked" and self.data_dir is not None:
            try:
                network = paths.is_network_filesystem(self.data_dir)
            except Exception:  # noqa: BLE001 - only chooses the wording
                network = False
            if network and "network drive" not in str(exc):
                extra = NETWORK_LOCKED_HINT
            elif not network:
                extra = LOCKED_HINT
        dialog = ErrorDialog(exc, extra=extra)
        try:
            self.exec_dialog(dialog)
        finally:
            dialog.deleteLater()

    def _show_message(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox
        box = QMessageBox(QMessageBox.Information, title, text)
        try:
            self.exec_dialog(box)
        finally:
            box.deleteLater()

    # ------------------------------------------------------------------ the running window
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
        self.network_label = QLabel(NETWORK_SHORT)
        self.network_label.setAccessibleName(NETWORK_SHORT)
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
        if self.network and str(self.data_dir) not in _network_notice_shown:
            _network_notice_shown.add(str(self.data_dir))
            self.show_network_notice()
        self._update_backup_label()
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
        box = QMessageBox(QMessageBox.Warning, NETWORK_TITLE, network_explanation(Path(self.data_dir)),
                          QMessageBox.Close, self.window)
        box.setWindowModality(Qt.NonModal)
        box.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "network_dialog", None))
        self.network_dialog = box
        box.show()

    def _update_backup_label(self, failed: bool = False) -> None:
        if self.window is None or self.demo:
            return
        newest = _newest_backup_text(self.data_dir)
        text = f"Last backup: {newest}" if newest else "No backup yet"
        if failed:
            text += " (the last attempt failed)"
        self.backup_label.setText(text)

    # -- quick check
    def start_quick_check(self) -> bool:
        from PySide6.QtCore import QThread

        from radiculopathy_desktop.ui.backup_schedule import Worker, quick_check
        if self.store is None or (self.check_worker is not None and self.check_worker.isRunning()):
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

    # -- backups
    def start_backups(self) -> None:
        from radiculopathy_desktop.ui.backup_schedule import BackupScheduler
        if self.demo or self.damaged or self.store is None:
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
        text = backup_failure_text(exc, backup.backup_folder(self.data_dir), _newest_backup_text(self.data_dir))
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

    # -- single instance and crashes
    def _bring_forward(self) -> None:
        from PySide6.QtWidgets import QApplication

        from radiculopathy_desktop.ui.single_instance import bring_forward
        target = self.window if self.window is not None else (
            QApplication.activeModalWidget() or self.recovery_dialog)
        if target is None:
            return
        bring_forward(target)
        if self.window is not None:
            self.window.statusBar().showMessage(
                "Radiculopathy Desktop was started again for this data folder: this window is the one to use.",
                10000)

    def _save_intake_draft(self) -> bool:
        """Keep the unfinished intake as a draft (crash guard); True when one was saved."""
        views = getattr(self.window, "views", None) or {}
        wizard = views.get("intake")
        if wizard is None:
            return False
        save_now = getattr(wizard, "save_draft_now", None)
        if callable(save_now):
            return bool(save_now())
        # A wizard without save_draft_now: keep its draft the way it keeps one between steps.
        has_input = getattr(wizard, "has_input", None)
        if not callable(has_input) or not has_input():
            return False
        from radiculopathy_desktop.ui import wizard as wizard_module
        wizard.context.store.save_draft(wizard_module.DRAFT_KEY, wizard.draft())
        return True

    # ------------------------------------------------------------------ event loop and shutdown
    def after_exec(self, code: int) -> int | None:
        """After the event loop returns: the exit code, or None to run it again (a restore was chosen)."""
        if self.pending_restore is None:
            return code
        from radiculopathy_desktop.storage import backup
        from radiculopathy_desktop.ui.recovery import describe_backup

        good, kept = self.pending_restore
        self.pending_restore = None
        self._close_window_and_store()
        try:
            result = backup.restore_damaged(good.path, self.data_dir, kept=kept)
        except Exception as exc:
            self._show_start_error(exc)
        else:
            self.notices.append(f"Restored the backup of {describe_backup(good)}. The damaged file was kept: "
                                f"{result.safety_backup}")
            log.info("a damaged database was replaced by its newest good backup")
        return self._open_and_show()

    def run(self) -> int:
        code = self.start()
        if code is not None:
            return code
        while True:
            code = self.after_exec(self.app.exec())
            if code is not None:
                return code

    def _close_window_and_store(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent
        if self.scheduler is not None:
            self.scheduler.stop()  # a backup under way finishes; it is never left half-written
            self.scheduler.deleteLater()
            self.scheduler = None
        self._finish_check_worker()
        for dialog in (self.recovery_dialog, self.network_dialog, self.backup_warning):
            if dialog is not None:
                with contextlib.suppress(RuntimeError):
                    dialog.close()
        self.recovery_dialog = self.network_dialog = self.backup_warning = None
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
            self.window = None
            QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()
            self.store = None

    def shutdown(self) -> None:
        self._close_window_and_store()
        if self.guard is not None:
            self.guard.uninstall()
            self.guard = None
        if self.instance is not None:
            self.instance.close()
            self.instance = None
        if self.demo_dir:
            shutil.rmtree(self.demo_dir, ignore_errors=True)
            self.demo_dir = None


def run_app(data_dir: Path | None = None, demo: bool = False) -> int:
    from radiculopathy_desktop import logs
    app = ensure_application()
    logs.configure_logging()
    controller = AppController(app, data_dir, demo)
    try:
        return controller.run()
    finally:
        controller.shutdown()
