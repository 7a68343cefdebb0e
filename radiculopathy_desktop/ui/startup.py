"""The start-up sequence: from the single-instance check to the window shown, and back.

:class:`StartupSequence` (driven by :func:`radiculopathy_desktop.ui.app.run_app`):

1. hands over to a window already open on the same data folder (it comes forward;
   this launch exits 0 without opening the database);
2. opens the store; a damaged, not-a-database or unreadable file is never changed:
   the recovery dialog explains and offers the newest good backup (the damaged file
   is copied aside first); other problems are explained and the app exits 3;
3. refuses WAL on a network file system and explains to IT why a local disk is needed;
4. installs the crash guard (draft kept, scrubbed crash log, plain-language dialog);
   before all of these, the stop on SIGTERM, SIGINT or SIGHUP (ui/stop_signals.py): the drafts
   kept as the crash guard keeps them, the window closed without asking, the run ends as after
   closing it (exit 0, the --demo folder removed); a second signal ends the process at once;
5. shows the window and hands the running window to the maintenance controller
   (ui/maintenance.py: quick check, damage, backups);
6. after the event loop: when a restore was chosen while running, closes the window
   and the store, restores, and opens again (step 2); else shuts down.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

from radiculopathy_desktop.ui.maintenance import MaintenanceController

log = logging.getLogger("radiculopathy_desktop.ui")


def _app():
    """ui/app.py, where the texts and the replaceable helpers live (tests replace them there)."""
    from radiculopathy_desktop.ui import app
    return app


class StartupSequence:
    """One run of the window, from the single-instance check to shutdown (see the module docstring).

    ``exec_dialog`` runs a modal dialog before the main window exists (recovery, start-up
    errors); tests pass a function that drives the dialog without blocking.
    """

    FIRST_PAINT_FALLBACK_MS = 3000

    def __init__(self, app, data_dir: Path | None = None, demo: bool = False, exec_dialog=None,
                 server: str | None = None, opening=None):
        self.app = app
        self.requested_dir = data_dir
        self.server = None if demo else server  # the clinic server's URL; None: the local file
        # The server store already being opened in a thread (ui/app.py ServerOpening), or None.
        self.opening = opening if self.server else None
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
        self.pending_restore = None  # (GoodBackup, damaged copy) chosen while running
        self.notices: list[str] = []  # shown in the next window's status bar
        self.recovery_dialog = None
        self.maintenance = MaintenanceController(self)
        self.stopped_update = False  # the person stopped the one-time schema update: close, exit 0
        self.signals = None  # SignalStop: SIGTERM, SIGINT, SIGHUP close the window (ui/stop_signals.py)
        self.stopped_by: int | None = None  # the signal that stopped this run (exit 0 once closed)
        self.start_dialog = None  # a start-up dialog waiting for an answer (closed by a stop)

    def start(self) -> int | None:
        """Everything up to the window being shown: None to run the event loop, else an exit code."""
        from radiculopathy_desktop.storage.paths import resolve_data_dir
        from radiculopathy_desktop.ui.errors import CrashGuard
        from radiculopathy_desktop.ui.single_instance import ALREADY_OPEN, NOT_ANSWERING, SingleInstance
        from radiculopathy_desktop.ui.stop_signals import SignalStop

        if self.signals is None:  # first: a stop while the demo cohort is made still removes its folder
            self.signals = SignalStop(self._stop_on_signal)
            self.signals.install()
        if self.demo:
            try:
                self.demo_dir = _app().make_demo_dir()
            except Exception as exc:  # shown in words, never a traceback
                self._show_start_error(exc)
                return 3
            self.data_dir = self.demo_dir  # a new temporary folder: never shared, no instance check
        elif self.server:
            # The tracker is on the clinic server, made for many windows at once: the one-window-per-
            # data-folder rule protects a local SQLite file and does not apply. The local folder keeps
            # only this workstation's drafts kept while the server could not be reached.
            self.data_dir = resolve_data_dir(self.requested_dir)
            log.info("opening the window on the clinic server")
        else:
            self.data_dir = resolve_data_dir(self.requested_dir)
            self.instance = SingleInstance(self.data_dir)
            # The folder is claimed now; later launches are answered once the window has
            # painted (or a start-up dialog opens): QtNetwork is not loaded before the paint.
            state = self.instance.start(listen=False)
            if state == "forwarded":
                log.info("this data folder is open in another window: handed over and exiting")
                _app()._say(ALREADY_OPEN)
                return 0
            if state == "not_answering":
                log.info("this data folder is open in another window that did not answer")
                _app()._say(NOT_ANSWERING)
                self._show_message("Radiculopathy Desktop is already open", NOT_ANSWERING)
                return 3
            self.instance.activation_requested.connect(self._bring_forward)
        self.guard = CrashGuard(lambda: self.window, self._save_intake_draft)
        self.guard.install()
        return self._open_and_show()

    def _open_and_show(self) -> int | None:
        from PySide6.QtCore import QTimer

        from radiculopathy_desktop.errors import UserError
        from radiculopathy_desktop.storage import paths
        from radiculopathy_desktop.ui.context import AppContext, move_clinic_preferences
        from radiculopathy_desktop.ui.events import EventHub
        from radiculopathy_desktop.ui.lazy_qt import single_shot  # QTimer.singleShot's form for a delay (issue 17)

        store = self._open_with_recovery()
        if store is None:
            return 0 if self.stopped_update else 3
        self.network = False
        try:
            if self.server:
                pass  # no database file here: the network-drive rules are for a local SQLite file
            elif paths.is_network_filesystem(store.data_dir):
                self.network = True
            if self.network:
                if store.journal_mode() == "wal":
                    raise _app().network_wal_error(store.path)
        except Exception as exc:
            with contextlib.suppress(Exception):
                store.close()
            self._show_start_error(exc)
            return 3
        self.store = store
        folder = self.data_dir if self.server else store.data_dir
        self.context = AppContext(store=store, hub=EventHub(), data_dir=Path(folder), demo=self.demo)
        try:  # once: the clinic details earlier versions kept in the user's preferences move into the database
            move_clinic_preferences(self.context, self.notices)
        except UserError as exc:  # busy or read-only now: tried again at the next start
            log.info("clinic details not moved into the database this time (%s)", getattr(exc, "kind", "error"))
        self.window = window = _app().create_window(self.context)
        replaced = getattr(self.context.hub, "store_replaced", None)
        if replaced is not None:  # a restore from the Backups view swaps context.store
            replaced.connect(self.maintenance._store_replaced)
        self.maintenance.attach(window)
        painted = getattr(window, "worklist_painted", None)
        if painted is not None:  # after the paint has finished, so the counts are not held up
            painted.connect(lambda: QTimer.singleShot(0, window, self.maintenance._after_first_paint))
        first = getattr(window, "first_painted", None)
        if first is not None:  # the window is on screen: answer later launches from now on
            first.connect(self._serve_handover)
        # An empty worklist (first run) paints no table: start the background work anyway.
        single_shot(self.FIRST_PAINT_FALLBACK_MS, window, self.maintenance._after_first_paint)
        single_shot(self.FIRST_PAINT_FALLBACK_MS, window, self._serve_handover)
        window.show()
        for notice in self.notices:
            window.statusBar().showMessage(notice, 30000)
        self.notices.clear()
        return None

    def _open_with_recovery(self):
        from radiculopathy_desktop.storage.db import StorageError
        from radiculopathy_desktop.storage.paths import database_path

        if self.server:  # no file to recover: an unreachable server or a refused login is explained
            try:
                opening, self.opening = self.opening, None
                if opening is not None and opening.url == self.server:
                    return opening.result()
                return _app().open_server_store(self.server)
            except Exception as exc:
                if not hasattr(exc, "kind"):
                    from radiculopathy_desktop import logs
                    logs.log_unexpected(exc)
                self._show_start_error(exc)
                return None
        from radiculopathy_desktop.storage.upgrade_progress import UpdateStopped
        from radiculopathy_desktop.ui import upgrading

        while True:
            upgrading.on_shown = self._serve_handover  # a launch meanwhile brings the update's window forward
            try:
                return _app().open_store(self.data_dir)
            except UpdateStopped:  # asked and confirmed in the update's window: nothing was changed
                log.info("the schema update was stopped at the window: closing")
                self.stopped_update = True
                return None
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
            finally:
                upgrading.on_shown = None

    def _serve_handover(self) -> None:
        """Answer later launches on this folder (they bring this window or dialog forward).

        Called once the window is first on screen (or by the fallback timer) and before any
        start-up dialog: the garbage collector paused for the start-up resumes here too."""
        _app().resume_collection()
        if self.instance is not None:
            self.instance.serve()

    def _recover_at_start(self, exc) -> bool:
        """The recovery dialog for a damaged file; True when a backup was restored (open again)."""
        self._serve_handover()  # a launch meanwhile brings the dialog forward
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
            if self.stopped_by is None:  # stopped meanwhile: nothing chosen, nothing restored
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
        self._serve_handover()  # a launch meanwhile brings the dialog forward
        extra = ""
        if getattr(exc, "kind", None) == "locked" and self.data_dir is not None and not self.server:
            try:
                network = paths.is_network_filesystem(self.data_dir)
            except Exception:  # noqa: BLE001 - only chooses the wording
                network = False
            if network and "network drive" not in str(exc):
                extra = _app().NETWORK_LOCKED_HINT
            elif not network:
                extra = _app().LOCKED_HINT
        dialog = ErrorDialog(exc, extra=extra)
        self._exec_start_dialog(dialog)

    def _show_message(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox
        _app().resume_collection()  # a dialog on screen: the start-up's pause is over
        box = QMessageBox(QMessageBox.Information, title, text)
        self._exec_start_dialog(box)

    def _exec_start_dialog(self, dialog) -> None:
        """Run a start-up message (closed by a stop on a signal; not shown once stopped)."""
        self.start_dialog = dialog
        try:
            if self.stopped_by is None:
                self.exec_dialog(dialog)
        finally:
            self.start_dialog = None
            dialog.deleteLater()

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
        """Keep the unfinished intake as a draft (crash guard); True when one was saved. Each typed
        visit or decision is kept on this computer too (its dialog stays open; if the app ends, the
        next start offers it)."""
        from radiculopathy_desktop.ui.drafts import draft_holders, typed_records
        kept = [bool(holder.save_draft_now()) for holder in draft_holders(self.window)]
        try:
            for dialog in typed_records(self.window):
                dialog.save_draft_now()
        except Exception as exc:  # noqa: BLE001 - a crash handler goes on whatever happens here
            log.warning("typed visits or decisions not kept at the crash: %s", type(exc).__name__)
        return any(kept)

    def _stop_on_signal(self, signum: int) -> None:
        """SIGTERM, SIGINT or SIGHUP (ui/stop_signals.py; the signal's name is logged there): keep the
        drafts exactly as the crash guard does, close the window without asking (nobody may be there to
        answer: a log-out, a shutdown), then quit; the run ends as after closing the window
        (:meth:`shutdown`: the store closed, the --demo folder removed) and exits 0."""
        from PySide6.QtWidgets import QApplication

        self.stopped_by = signum
        window = self.window
        if window is None:  # still starting: a start-up dialog waiting for an answer is closed unanswered
            for dialog in (self.recovery_dialog, self.start_dialog):
                if dialog is not None:
                    with contextlib.suppress(RuntimeError):
                        dialog.reject()
            # the one-time schema update cannot be stopped part way: the window is not shown after it
            return
        kept = False
        try:
            kept = self._save_intake_draft()
        except Exception as exc:  # noqa: BLE001 - the stop goes on, as the crash guard does
            log.warning("the intake draft could not be kept on the stop: %s", type(exc).__name__)
        log.info("stopping: %s", "the unfinished intake was kept as a draft" if kept else "no unfinished intake")
        close = getattr(window, "close_for_stop", None)
        try:
            if close is not None:
                close()
            else:
                window.close()
        except Exception as exc:  # noqa: BLE001 - the app quits anyway; shutdown() closes the store
            log.warning("the window did not close cleanly on the stop: %s", type(exc).__name__)
        (QApplication.instance() or self.app).exit(0)  # every event loop, a dialog's too

    def after_exec(self, code: int) -> int | None:
        """After the event loop returns: the exit code, or None to run it again (a restore was chosen)."""
        if self.stopped_by is not None:  # stopped on a signal: no restore is started, exit 0
            self.pending_restore = None
            return 0
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
            return 0 if self.stopped_by is not None else code
        while True:
            if self.stopped_by is not None:  # stopped before the window was on screen
                return 0
            code = self.after_exec(self.app.exec())
            if code is not None:
                return code

    def _close_window_and_store(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent
        self.maintenance.stop()
        if self.recovery_dialog is not None:
            with contextlib.suppress(RuntimeError):
                self.recovery_dialog.close()
        self.recovery_dialog = None
        if self.window is not None:
            stop_watch = getattr(self.window, "stop_server_watch", None)
            if stop_watch is not None:  # its own server connection ends before the store closes
                stop_watch()
            self.window.hide()
            self.window.deleteLater()
            self.window = None
            QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()
            self.store = None

    def shutdown(self) -> None:
        opening, self.opening = self.opening, None
        if opening is not None:  # the start-up stopped before taking the server store
            opening.discard()
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
        if self.signals is not None:
            if self.stopped_by is not None:
                log.info("stopped on a signal: the window closed normally")
            self.signals.uninstall()
            self.signals = None
