"""The recovery dialog: a damaged or unreadable database, and the newest good backup.

Shown at start-up when the database cannot be opened because it is damaged, not a
database or unreadable, and while the app runs when the background quick check
finds damage. It says what happened in plain words, that the file was not changed
and where it is, and offers the newest backup that passes validation. Restoring
keeps the damaged file (copied aside into the backups folder, never deleted or
modified); the dialog only collects the decision (``choice``), the caller restores.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from radiculopathy_desktop.domain.vocab import StorageErrorKind, member

log = logging.getLogger("radiculopathy_desktop.ui")

# StorageError kinds the recovery dialog handles (others get the plain error dialog).
RECOVERABLE_KINDS = frozenset({StorageErrorKind.CORRUPT, StorageErrorKind.NOT_A_DATABASE, StorageErrorKind.IO})


def describe_backup(good) -> str:
    """"21 November 2026 at 09:14 (2 days old), 3.4 MB, 1,204 cases"."""
    taken: dt.datetime = good.taken
    days = (dt.date.today() - taken.date()).days
    age = "today" if days == 0 else "yesterday" if days == 1 else f"{days} days old"
    size = good.size / 1_000_000
    parts = [f"{taken.day} {taken.strftime('%B %Y')} at {taken.strftime('%H:%M')} ({age})",
             f"{size:.1f} MB" if size >= 0.1 else f"{max(1, round(good.size / 1000))} KB"]
    if good.case_count is not None:
        parts.append(f"{good.case_count:,} case{'s' if good.case_count != 1 else ''}")
    return ", ".join(parts)


def confirm_restore(parent: QWidget | None, good, db_path: Path, running: bool) -> bool:
    """Ask before restoring (a blocking question; tests replace this function)."""
    then = describe_backup(good)
    text = (f"Replace the damaged database with the backup of {then}?\n\n"
            "Anything entered after that backup was taken is not in it. The damaged file is kept: it is "
            f"copied into the backups folder first, unchanged, so support can still recover data from it.\n\n"
            f"Database: {db_path}")
    if running:
        text += "\n\nThe window closes, the backup is restored, and the app opens again on it."
    box = QMessageBox(QMessageBox.Question, "Restore this backup?", text, QMessageBox.NoButton, parent)
    restore = box.addButton("&Restore", QMessageBox.AcceptRole)
    box.addButton("&Cancel", QMessageBox.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def open_folder(folder: Path) -> bool:
    """Open ``folder`` in the system's file manager (tests replace this function)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _selectable(text: str, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText if rich else Qt.PlainText)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
    return label


class RecoveryDialog(QDialog):
    """What happened, where the file is, and the newest good backup, with Restore / Open folder / Quit.

    ``choice`` after it closes: ``"restore"`` (confirmed; restore ``good``), ``"quit"``, or,
    while running, ``"keep_open"`` (the window stays, read-only).
    """

    def __init__(self, db_path: Path, problem: str, good, backups_dir: Path, *, kind: str = "corrupt",
                 running: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.good = good
        self.backups_dir = Path(backups_dir)
        self.running = running
        self.choice: str | None = None
        shown = StorageErrorKind.CORRUPT if running else member(StorageErrorKind, kind) or StorageErrorKind.CORRUPT
        title = shown.label
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h3>{html.escape(title)}</h3>")
        heading.setTextFormat(Qt.RichText)
        layout.addWidget(heading)

        if running:
            what = ("A routine check while the app was running found damage in the database file. To protect "
                    "your data, the app has stopped saving changes: you can still read, but nothing new is "
                    "saved until a good backup is restored.")
        else:
            what = "Radiculopathy Desktop could not open the database because the file is damaged or unreadable."
        self.what_label = _selectable(what)
        layout.addWidget(self.what_label)
        self.problem_label = _selectable(f"Details: {problem}")
        layout.addWidget(self.problem_label)
        self.file_label = _selectable(
            f"The database file was not changed{' by this check' if running else ''}. It is here:\n{self.db_path}")
        layout.addWidget(self.file_label)

        if good is not None:
            self.backup_label = _selectable(
                f"<b>Newest good backup:</b> {html.escape(describe_backup(good))}<br>"
                f"{html.escape(str(good.path))}<br>"
                "It passed a full integrity check just now. Restoring it brings back the data as it was then. "
                "The damaged file is kept (copied into the backups folder), never deleted.", rich=True)
        else:
            self.backup_label = _selectable(
                "<b>There is no good backup to restore.</b> "
                f"No backup in the backups folder passed the integrity check.<br><br>"
                "Do not delete or move the damaged file: keep it for IT or support, who may be able to recover "
                f"data from it:<br>{html.escape(str(self.db_path))}<br><br>"
                "Contact your IT support and tell them what this window says. If your clinic keeps copies of "
                "the backups folder elsewhere, IT can put one back with:<br>"
                "<tt>radiculopathy-desktop restore FILE --yes</tt>", rich=True)
        layout.addWidget(self.backup_label)
        self.folder_label = _selectable(f"Backups folder:\n{self.backups_dir}")
        layout.addWidget(self.folder_label)
        self.status_label = _selectable("")
        self.status_label.hide()
        layout.addWidget(self.status_label)

        buttons = QHBoxLayout()
        self.restore_button = QPushButton("&Restore this backup…")
        self.restore_button.setAccessibleName("Restore this backup")
        self.restore_button.setVisible(good is not None)
        self.folder_button = QPushButton("&Open the backups folder")
        self.folder_button.setAccessibleName("Open the backups folder")
        if running:
            self.close_button = QPushButton("&Keep the window open (read only)")
            self.close_button.setAccessibleName("Keep the window open, read only")
        else:
            self.close_button = QPushButton("&Quit")
            self.close_button.setAccessibleName("Quit")
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.ask_restore)
        self.folder_button.clicked.connect(self.open_backups_folder)
        self.close_button.clicked.connect(self.reject)
        (self.restore_button if good is not None else self.close_button).setDefault(True)
        self.resize(620, 420)

    def ask_restore(self) -> None:
        if self.good is None:
            return
        if confirm_restore(self, self.good, self.db_path, self.running):
            self.choice = "restore"
            self.accept()

    def open_backups_folder(self) -> None:
        folder = self.backups_dir if self.backups_dir.is_dir() else self.db_path.parent
        if not open_folder(folder):
            self.show_status(f"The folder could not be opened here. It is:\n{folder}")

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()

    def reject(self) -> None:
        if self.choice is None:
            self.choice = "keep_open" if self.running else "quit"
        super().reject()
