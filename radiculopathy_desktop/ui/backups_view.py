"""Data and backups (in Settings): where the data is, the backups, back up now, restore, undo.

* **Back up now** runs :func:`storage.backup.backup_database` in a worker thread (its own
  read-only connection: the window keeps working), which checks the copy with
  ``PRAGMA integrity_check`` and removes the oldest backups beyond the number to keep.
* **Number of backups to keep** is the store's ``backup_keep`` setting
  (:mod:`storage.backup_settings`); it is saved with the other settings.
* **Restore selected backup…** asks first, in words, what will happen; then closes the
  window's own connection (a restore refuses a database that is open), restores (a
  safety backup of the current data is made first), opens a new :class:`CaseStore`,
  puts it in ``context.store`` and announces ``store_replaced``, ``cases_changed`` and
  ``settings_changed`` so every view reloads. If the restore fails, the original
  database is reopened and the message says so: nothing is lost.
* **Undo last restore…** restores the safety backup of the last restore (recorded in
  ``last-restore.json`` in the backups folder, so it also undoes a restore made with the
  ``restore`` command).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from radiculopathy_desktop.domain.vocab import StorageErrorKind, member
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import backup_settings as bs
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.ui import errors as ui_errors
from radiculopathy_desktop.ui.workers import Worker

log = logging.getLogger("radiculopathy_desktop.ui")

COLUMNS = ("Made (local time)", "Why", "Size", "Checked")
REASON_MANUAL = "made in the window (Back up now)"


def when_text(moment: dt.datetime | None) -> str:
    return moment.strftime("%A %d %B %Y, %H:%M:%S") if moment else "an unknown date"


def size_text(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


# --------------------------------------------------------------------------- worker threads
class _Keeper(QObject):
    """Holds every running worker (even when the view that started it is gone) until it has ended."""

    def __init__(self):
        super().__init__()
        self.running: set[Worker] = set()

    def add(self, worker: Worker) -> None:
        self.running.add(worker)
        worker.finished.connect(self._finished)  # a QObject slot: delivered in the GUI thread

    @Slot()
    def _finished(self) -> None:
        worker = self.sender()
        if isinstance(worker, Worker):
            worker.wait()  # finished() comes just before the thread really ends
            self.running.discard(worker)

    @Slot()
    def wait_all(self) -> None:
        for worker in list(self.running):
            worker.wait()


_keeper: _Keeper | None = None


def run_in_worker(job: Callable[[], object], on_success, on_failure) -> Worker:
    """Start ``job`` in a worker thread; ``on_success(result)`` or ``on_failure(exc)`` run in the GUI thread
    (pass bound methods of a QObject)."""
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_keeper.wait_all)  # never quit with a backup half-made
    worker = Worker(job)
    worker.succeeded.connect(on_success)
    worker.failed.connect(on_failure)
    _keeper.add(worker)
    worker.start()
    return worker


# --------------------------------------------------------------------------- confirmation
class ConfirmDialog(QDialog):
    """A plain yes/no question, non-blocking (``open()``); Cancel is the default."""

    def __init__(self, parent, title: str, text: str, action: str, details: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        heading.setTextFormat(Qt.RichText)
        layout.addWidget(heading)
        self.text_label = QLabel(text)
        self.text_label.setTextFormat(Qt.PlainText)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.text_label.setAccessibleName(title)
        self.text_label.setAccessibleDescription(text)
        layout.addWidget(self.text_label)
        # What a restore takes out of the tracker (rt11 F11): any length, so scrolled, never clipped.
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setAccessibleName("What the current data holds that the backup does not")
        self.details.setVisible(bool(details))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        self.action_button = buttons.addButton(action, QDialogButtonBox.AcceptRole)
        self.action_button.setAccessibleName(action.replace("&", ""))
        self.action_button.setAutoDefault(False)
        self.cancel_button = buttons.addButton(QDialogButtonBox.Cancel)
        self.cancel_button.setAccessibleName("Cancel: change nothing")
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.cancel_button.setFocus()  # Enter or Space on the question answers "no"

    def text(self) -> str:
        return self.text_label.text()

    def details_text(self) -> str:
        return self.details.toPlainText()


# --------------------------------------------------------------------------- the view
class BackupsView(QGroupBox):
    """The "Data and backups" section of the Settings view."""

    backup_finished = Signal(bool)  # True when a backup was made and checked
    check_finished = Signal(bool)
    restored = Signal(object)  # RestoreResult after a restore (or an undo) succeeded
    restore_failed = Signal()

    def __init__(self, context, parent=None):
        super().__init__("Data and backups", parent)
        self.context = context
        self.setAccessibleName("Data and backups")
        self._worker: Worker | None = None
        self._checking: Path | None = None
        self._checked: dict[str, str] = {}  # backup file name -> what the last check found
        self.confirm_dialog: ConfirmDialog | None = None
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.data_folder = QLineEdit()
        self.data_folder.setReadOnly(True)
        self.data_folder.setAccessibleName("Data folder (read-only)")
        form.addRow("Data folder:", self.data_folder)
        self.backup_folder = QLineEdit()
        self.backup_folder.setReadOnly(True)
        self.backup_folder.setAccessibleName("Backups folder (read-only)")
        form.addRow("Backups folder:", self.backup_folder)
        from radiculopathy_desktop.ui.forms import spin  # typed as it is, out of range named (rt8 F1)
        self.keep = spin("Number of backups to keep", bs.MIN_KEEP, bs.MAX_KEEP, optional=False,
                         what="The number of backups to keep")
        self.keep.setToolTip("When a backup is made, the oldest ones beyond this number are removed from the "
                             "backups folder. Saved with “Save settings”.")
        keep_label = QLabel("Number of backups to &keep:")
        keep_label.setBuddy(self.keep)
        form.addRow(keep_label, self.keep)
        layout.addLayout(form)
        note = QLabel("A backup is a checked copy of the whole database. Copy the backups folder to other media "
                      "as your clinic's policy says.")
        note.setWordWrap(True)
        layout.addWidget(note)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Backups, newest first")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)

        row = QHBoxLayout()
        self.backup_button = QPushButton("Back &up now")
        self.backup_button.setAccessibleName("Back up now")
        self.check_button = QPushButton("&Check selected backup")
        self.check_button.setAccessibleName("Check the selected backup for damage")
        self.restore_button = QPushButton("Res&tore selected backup…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.undo_button = QPushButton("Un&do last restore…")
        self.undo_button.setAccessibleName("Undo the last restore")
        for button in (self.backup_button, self.check_button, self.restore_button, self.undo_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.status.setAccessibleName("Backup status")
        layout.addWidget(self.status)

        self.backup_button.clicked.connect(self.back_up_now)
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button.clicked.connect(self.ask_restore_selected)
        self.undo_button.clicked.connect(self.ask_undo_restore)
        self.refresh()

    # -- where things are
    def data_dir(self) -> Path:
        folder = getattr(self.context.store, "data_dir", None) or self.context.data_dir
        return Path(folder)

    def folder(self) -> Path:
        return bk.backup_folder(self.data_dir())

    # -- the number to keep (the Settings view's Save button writes it, through the operation runner)
    def load_keep(self) -> None:
        self.keep.setValue(bs.get_backup_keep(self.context.store))

    def keep_changed(self) -> bool:
        return self.keep.value() != bs.get_backup_keep(self.context.store)

    # -- the list
    def backups(self) -> list[Path]:
        try:
            return list(reversed(bk.list_backups(self.folder())))
        except OSError:
            return []

    def refresh(self) -> None:
        self.data_folder.setText(str(self.data_dir()))
        folder = self.folder()
        self.backup_folder.setText(str(folder))
        selected = self.selected_backup()
        reasons = bs.backup_reasons(folder)
        paths = self.backups()
        self.table.setRowCount(len(paths))
        for n, path in enumerate(paths):
            try:
                size = size_text(path.stat().st_size)
            except OSError:
                size = "?"
            values = (when_text(bs.backup_time(path)), reasons.get(path.name, "not recorded"), size,
                      self._checked.get(path.name, "not checked yet"))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.UserRole, str(path))
                item.setToolTip(path.name if col == 0 else value)
                self.table.setItem(n, col, item)
            if selected is not None and path == selected:
                self.table.selectRow(n)
        if not paths:
            self.status.setText(self.status.text() or "There are no backups yet. “Back up now” makes one.")
        self._update_buttons()

    def selected_backup(self) -> Path | None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), 0)
        return Path(item.data(Qt.UserRole)) if item is not None else None

    def select_backup(self, path: Path) -> None:
        for n in range(self.table.rowCount()):
            if Path(self.table.item(n, 0).data(Qt.UserRole)) == Path(path):
                self.table.selectRow(n)
                self.table.setCurrentCell(n, 0)
                return

    def busy(self) -> bool:
        return self._worker is not None

    def _update_buttons(self) -> None:
        idle = not self.busy()
        has_selection = self.selected_backup() is not None
        self.backup_button.setEnabled(idle)
        self.check_button.setEnabled(idle and has_selection)
        self.restore_button.setEnabled(idle and has_selection)
        last = bs.last_restore(self.folder())
        self.undo_button.setEnabled(idle and last is not None)
        self.undo_button.setToolTip(
            f"Put back the data as it was before the restore of {last.at.replace('T', ' ')} "
            f"(safety backup {last.safety_backup.name})" if last else "There is no restore to undo.")

    # -- back up now
    def back_up_now(self) -> None:
        if self.busy():
            return
        data_dir = self.data_dir()
        try:
            keep = bs.get_backup_keep(self.context.store)
        except Exception as exc:
            ui_errors.show_error(self, exc)
            return

        def job():
            result = bk.backup_database(data_dir, keep=keep, reason="manual")
            bs.record_backup_reason(result.path, REASON_MANUAL)
            return result

        self.status.setText("Making a backup and checking it…")
        self._start(job, self._backup_done, self._backup_failed)

    def _backup_done(self, result) -> None:
        self._finish()
        self._checked[result.path.name] = f"sound (checked {dt.datetime.now():%H:%M})"
        text = f"Backup made and checked (integrity: {'; '.join(result.integrity)}): {result.path.name}."
        if result.pruned:
            n = len(result.pruned)
            text += f" {n} older backup{'s' if n > 1 else ''} beyond the number to keep removed."
        self.status.setText(text)
        self.refresh()
        self.select_backup(result.path)
        self.backup_finished.emit(True)

    def _backup_failed(self, exc: BaseException) -> None:
        self._finish()
        title, message, _details = ui_errors.describe(exc)
        self.status.setText(f"The backup failed: {message}")
        log.info("backup from the window failed: %s", type(exc).__name__)
        self.refresh()
        ui_errors.show_error(self, exc)
        self.backup_finished.emit(False)

    # -- check a backup
    def check_selected(self) -> None:
        path = self.selected_backup()
        if path is None or self.busy():
            return
        self.status.setText(f"Checking the backup of {when_text(bs.backup_time(path))}…")
        self._checking = path
        self._start(lambda: bk.validate_backup(path) or path, self._check_done, self._check_failed)

    def _check_done(self, path: Path) -> None:
        self._finish()
        self._checked[path.name] = f"sound (checked {dt.datetime.now():%H:%M})"
        self.status.setText(f"The backup of {when_text(bs.backup_time(path))} is sound: it can be restored.")
        self.refresh()
        self.check_finished.emit(True)

    def _check_failed(self, exc: BaseException) -> None:
        self._finish()
        path = self._checking
        _title, message, _details = ui_errors.describe(exc)
        self._checked[path.name] = "damaged: cannot be restored" if isinstance(exc, UserError) else "check failed"
        self.status.setText(f"The backup of {when_text(bs.backup_time(path))} cannot be used. {message}")
        self.refresh()
        self.check_finished.emit(False)

    # -- worker plumbing
    def _start(self, job, on_success, on_failure) -> None:
        self._worker = run_in_worker(job, on_success, on_failure)
        self._update_buttons()

    def _finish(self) -> None:
        self._worker = None
        self._update_buttons()

    def wait_for_worker(self) -> None:
        if self._worker is not None:
            self._worker.wait()

    # -- restore
    def ask_restore_selected(self) -> ConfirmDialog | None:
        path = self.selected_backup()
        if path is None:
            self.status.setText("Select a backup in the list first.")
            return None
        when = when_text(bs.backup_time(path))
        text = (f"The current database will be replaced by the backup from {when}.\n\n"
                "First, a safety backup of the current data is made. Anything entered or changed since "
                f"{when} (new patients, visits, decisions, settings) will then be only in that safety "
                "backup, not in the database.\n\n"
                "To undo, use “Undo last restore” here: it puts back the safety backup. (At the command line: "
                "radiculopathy-desktop restore SAFETY-BACKUP-FILE --yes; its name is shown after the restore.)")
        return self._confirm("Restore this backup?", text, "&Restore the backup", lambda: self.restore(path),
                             details=self._comparison(path))

    def ask_undo_restore(self) -> ConfirmDialog | None:
        last = bs.last_restore(self.folder())
        if last is None:
            self.status.setText("There is no restore to undo.")
            self._update_buttons()
            return None
        at = last.at.replace("T", " ") or "the last restore"
        text = (f"The database will be put back as it was just before the restore of {at}, from the safety "
                f"backup {last.safety_backup.name}.\n\n"
                "First, a safety backup of the current data is made. Anything entered or changed since that "
                "restore will then be only in that new safety backup (it stays in the list of backups).")
        return self._confirm("Undo the last restore?", text, "&Undo the restore",
                             lambda: self.restore(last.safety_backup, undo=True),
                             details=self._comparison(last.safety_backup))

    def _comparison(self, source: Path) -> str:
        """The lines the ``restore`` command prints: what the current data holds that ``source``
        lacks, and whether it shares this tracker's history (storage.restore_compare)."""
        from radiculopathy_desktop.storage import restore_compare
        from radiculopathy_desktop.storage.store import CaseStore

        store = self.context.store
        if not isinstance(store, CaseStore) or self.busy():
            return ""
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            result = restore_compare.compare(store, source, self.context.today())
        finally:
            QApplication.restoreOverrideCursor()
        return "\n".join(result.lines())

    def _confirm(self, title: str, text: str, action: str, on_yes, details: str = "") -> ConfirmDialog | None:
        if self.busy():
            self.status.setText("Wait for the backup or check to finish, then try again.")
            return None
        dialog = ConfirmDialog(self, title, text, action, details)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(on_yes)
        dialog.destroyed.connect(lambda *_: setattr(self, "confirm_dialog", None))
        self.confirm_dialog = dialog
        dialog.open()
        return dialog

    def restore(self, source: Path, undo: bool = False) -> bool:
        """Replace the database by ``source`` (already confirmed); True when it was restored."""
        if self.busy():
            self.status.setText("Wait for the backup or check to finish, then try again.")
            return False
        store = self.context.store
        data_dir = self.data_dir()
        folder = self.folder()
        when = when_text(bs.backup_time(source))
        try:
            keep = bs.get_backup_keep(store)
            bk.validate_backup(source)  # refuse a bad file while the database is still open
        except Exception as exc:
            self.status.setText(f"Not restored: {ui_errors.describe(exc)[1]}")
            self.refresh()
            ui_errors.show_error(self, exc)
            self.restore_failed.emit()
            return False
        # Through the operation runner: when context.store is a new store afterwards (restored, or the
        # original reopened) it announces store_replaced and that everything changed. Here, not in a
        # worker: the views' timers must not read a store that is being closed and replaced.
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            outcome = self.context.ops.run(lambda _store: self._swap(source, data_dir, keep), parent=self,
                                           initiator=self, errors="raise", wait="here")
        finally:
            QApplication.restoreOverrideCursor()
        result, problem = outcome.value
        if problem is not None:
            self.status.setText(problem.message)
            self.refresh()
            ui_errors.show_error(self, problem)
            self.restore_failed.emit()
            return False
        note = ""
        try:
            if undo:
                bs.clear_last_restore(folder)
                bs.record_backup_reason(result.safety_backup, "safety copy before undoing a restore")
            else:
                bs.record_restore(folder, result.safety_backup, source)
                bs.record_backup_reason(result.safety_backup, f"safety copy before restoring the backup of {when}")
        except (OSError, UserError):
            note = (" (The record of this restore could not be written, so “Undo last restore” cannot offer it; "
                    f"the safety backup is {result.safety_backup}.)")
        if undo:
            text = (f"The last restore was undone: the data is back as it was before it. The data just before "
                    f"this undo is in the safety backup {result.safety_backup.name}.")
        else:
            text = (f"Restored the backup of {when}. The data as it was just before is in the safety backup "
                    f"{result.safety_backup.name}; “Undo last restore” puts it back.")
        log.info("database restored from the window%s", " (undo)" if undo else "")
        self.status.setText(text + note)
        self.refresh()
        self.restored.emit(result)
        return True

    def _swap(self, source: Path, data_dir: Path, keep: int):
        """Close the window's store, restore, open the result: (RestoreResult, None) or (None, error)."""
        from radiculopathy_desktop.storage.store import CaseStore

        self.context.store.close()
        existing = set(self.backups())
        try:
            result = bk.restore(source, data_dir, keep=keep, user=self.context.user)
        except Exception as exc:
            log.info("restore from the window failed: %s", type(exc).__name__)
            for path in set(self.backups()) - existing:  # a safety backup made before the step that failed
                bs.record_backup_reason(path, "safety copy made by a restore that did not go ahead")
            return None, self._reopen_after(exc, "The backup was not restored")
        try:
            self.context.store = CaseStore.open(data_dir)
        except Exception as exc:
            # The restored copy cannot be opened here (another program has just locked it, or a migration
            # failed): put the data back as it was, from the safety backup made a moment ago.
            log.info("the restored database could not be opened: %s", type(exc).__name__)
            try:
                bk.restore(result.safety_backup, data_dir, keep=keep, user=self.context.user)
            except Exception as undo_exc:
                return None, self._reopen_after(undo_exc, (
                    f"The backup was restored but could not be opened ({ui_errors.describe(exc)[1]}); putting the "
                    f"data back from the safety backup {result.safety_backup} failed too"))
            return None, self._reopen_after(exc, "The backup was restored but could not be opened, so the data "
                                                 "was put back as it was before")
        return result, None

    def _reopen_after(self, exc: BaseException, what: str) -> StorageError:
        """Reopen the database after a failed restore; the error to show, saying what happened."""
        from radiculopathy_desktop.storage.store import CaseStore

        kind = member(StorageErrorKind, getattr(exc, "kind", None)) or StorageErrorKind.RESTORE_FAILED
        reason = ui_errors.describe(exc)[1]
        try:
            self.context.store = CaseStore.open(self.data_dir())
        except Exception as reopen_exc:
            return StorageError(kind, (
                f"{what}: {reason}\n\nThe database could not be opened again either "
                f"({ui_errors.describe(reopen_exc)[1]}). Close Radiculopathy Desktop and start it again. The data "
                f"is in {self.data_dir()}, and safety backups are in {self.folder()}."))
        return StorageError(kind, (f"{what}: {reason}\n\nYour database was opened again as it was before: "
                                   "nothing was lost."))
