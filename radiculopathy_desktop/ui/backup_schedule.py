"""Background safety work for the window: the start-up quick check and the daily backup.

Both run in a worker thread (SQLite releases the GIL while it reads), after the
worklist has painted, so the window never waits for them:

* :func:`quick_check` runs ``PRAGMA quick_check`` on a separate read-only
  connection and, when it finds damage, looks for the newest good backup.
* :class:`BackupScheduler` calls :func:`backup.backup_if_due` (a backup when the
  newest is a day old) once at start and then every hour; each backup is checked
  with ``PRAGMA integrity_check`` and the oldest beyond the configured number are
  pruned. A failure is logged without patient data and reported by signal.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from radiculopathy_desktop.domain.vocab import StorageErrorKind
from radiculopathy_desktop.storage import backup
from radiculopathy_desktop.ui.workers import Worker  # noqa: F401 - app.py and tests import it from here

log = logging.getLogger("radiculopathy_desktop.ui")

HOUR_MS = 60 * 60 * 1000
DAY = dt.timedelta(days=1)


# --------------------------------------------------------------------------- quick check
@dataclass(frozen=True)
class QuickCheckResult:
    issues: tuple[str, ...]  # ("ok",) when sound
    good: Any = None         # backup.GoodBackup when damaged and a good backup exists

    @property
    def ok(self) -> bool:
        return self.issues == ("ok",)


def quick_check(data_dir: Path) -> QuickCheckResult:
    """``PRAGMA quick_check`` read-only; when damaged, also the newest good backup (for the dialog)."""
    issues = tuple(backup.check_database(data_dir))
    if issues == ("ok",):
        return QuickCheckResult(issues)
    log.warning("the background quick check found damage (%d problem line(s))", len(issues))
    return QuickCheckResult(issues, backup.newest_good_backup(backup.backup_folder(data_dir)))


# --------------------------------------------------------------------------- daily backup
class BackupScheduler(QObject):
    """A backup when one is due: now (call :meth:`start` after the first paint) and every hour."""

    made = Signal(object)     # backup.BackupResult
    not_due = Signal()
    failed = Signal(object)   # the exception

    def __init__(self, data_dir: Path, keep: Callable[[], int], parent: QObject | None = None,
                 interval_ms: int = HOUR_MS, max_age: dt.timedelta = DAY):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._keep = keep
        self.max_age = max_age
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self.worker: Worker | None = None
        self.stopped = False

    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def start(self) -> None:
        self.stopped = False
        self.timer.start()
        self.run_now()

    def run_now(self) -> bool:
        """Start one due-check (and backup) in a thread; False if one is still running or stopped."""
        if self.stopped or self.busy:
            return False
        try:
            keep = int(self._keep())
        except Exception:  # noqa: BLE001 - a bad setting must not stop backups
            keep = backup.default_keep()
        data_dir, max_age = self.data_dir, self.max_age
        worker = Worker(lambda: backup.backup_if_due(data_dir, max_age=max_age, keep=keep), self)
        worker.succeeded.connect(self._done)
        worker.failed.connect(self._failed)
        worker.finished.connect(worker.deleteLater)
        self.worker = worker
        worker.start(QThread.LowPriority)
        return True

    def _release_worker(self) -> None:
        """Forget the finished worker (its run() has returned; wait for the thread itself to end)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait()

    def _done(self, result) -> None:
        self._release_worker()
        if result is None:
            self.not_due.emit()
            return
        log.info("automatic daily backup made (%d old backup(s) pruned)", len(result.pruned))
        self.made.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._release_worker()
        # The type and kind only: a message could in principle quote data.
        log.warning("the automatic daily backup failed (%s%s)", type(exc).__name__,
                    f", {exc.kind}" if getattr(exc, "kind", None) else "")
        self.failed.emit(exc)

    def stop(self, wait: bool = True) -> None:
        """Stop the timer; with ``wait``, let a running backup finish (it is never cut off half-written)."""
        self.stopped = True
        self.timer.stop()
        worker = self.worker
        if wait and worker is not None:
            worker.wait()


def backup_failure_text(exc: BaseException, backups_dir: Path, newest: str | None) -> str:
    """What the failed-backup warning says: what happened, what to do, what is still safe."""
    kind = getattr(exc, "kind", None)
    from radiculopathy_desktop.storage.db import StorageError
    if kind == StorageErrorKind.DISK_FULL or (isinstance(exc, OSError) and getattr(exc, "errno", None) == 28):
        cause = "The disk is full."
        todo = f"Free some space on the disk holding {backups_dir}."
    elif kind == StorageErrorKind.CORRUPT:
        cause = "The copy failed its integrity check, so the database itself may be damaged."
        todo = "The app is checking the database now; if it reports damage, follow what it says."
    elif kind in (StorageErrorKind.PERMISSION, StorageErrorKind.READ_ONLY):
        cause = "The backups folder cannot be written to."
        todo = f"Ask IT to make this folder writable for your user: {backups_dir}."
    elif kind == StorageErrorKind.LOCKED:
        cause = "Another program kept the database busy."
        todo = "Nothing to do now; the app tries again."
    elif isinstance(exc, StorageError):
        cause = str(exc)
        todo = f"Check the disk holding {backups_dir}, or ask IT."
    else:
        cause = f"An unexpected problem ({type(exc).__name__})."
        todo = f"Check the disk holding {backups_dir}, or ask IT."
    safe = (f"Your newest backup is from {newest}." if newest else "There is no earlier backup yet.")
    return (f"The automatic daily backup could not be made. {cause}\n\n"
            f"What to do: {todo} The app tries again every hour while it is open; you can also make a "
            "backup with the command radiculopathy-desktop backup.\n\n"
            f"{safe} Your work is still being saved to the database as usual.")


class BackupWarning(QDialog):
    """A non-blocking warning that the daily backup failed (the window stays usable)."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("The daily backup failed")
        self.setAccessibleName("The daily backup failed")
        self.setWindowModality(Qt.NonModal)
        layout = QVBoxLayout(self)
        heading = QLabel("<b>The daily backup failed</b>")
        heading.setTextFormat(Qt.RichText)
        layout.addWidget(heading)
        self.message_label = QLabel(text)
        self.message_label.setTextFormat(Qt.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        layout.addWidget(self.message_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 240)

    def set_text(self, text: str) -> None:
        self.message_label.setText(text)
