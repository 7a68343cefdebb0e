"""Store and validation errors shown as plain language, with a "Copy details" button.

The store already words its failures for people (:class:`StorageError` carries
``kind`` and a message saying what happened, that nothing was changed, and what
to do). This module only chooses a title per kind and shows it; anything that is
not a known user-facing error is shown as "an unexpected problem" with the
technical details kept behind "Copy details", never as a traceback.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from radiculopathy_desktop.errors import UserError

log = logging.getLogger("radiculopathy_desktop.ui")

TITLES = {
    "locked": "The database is busy",
    "read_only": "The database cannot be saved to",
    "corrupt": "The database is damaged",
    "not_a_database": "This is not a Radiculopathy Desktop database",
    "newer_schema": "The database is from a newer version",
    "disk_full": "The disk is full",
    "io": "The disk reported an error",
    "permission": "The database could not be opened",
    "missing": "There is no database yet",
}
KEPT = "What you typed has been kept in the form; you can try again when the problem is fixed."


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(title, plain message, technical details) for any exception."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    kind = getattr(exc, "kind", None)
    if isinstance(exc, UserError):
        return TITLES.get(kind, "That could not be done"), str(exc), details
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return TITLES["disk_full"], ("The disk is full, so the change could not be saved. Nothing was changed. "
                                     "Free some space and try again."), details
    return ("An unexpected problem",
            f"Something went wrong that the app did not expect ({type(exc).__name__}). Nothing was changed "
            "by the failed step. Use \"Copy details\" and send them to support.", details)


class ErrorDialog(QDialog):
    def __init__(self, exc: BaseException, parent: QWidget | None = None, kept_input: bool = False):
        super().__init__(parent)
        title, message, self.details = describe(exc)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{title}</b>")
        heading.setTextFormat(Qt.RichText)
        layout.addWidget(heading)
        text = message + (f"\n\n{KEPT}" if kept_input else "")
        self.message_label = QLabel(text)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        layout.addWidget(self.message_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 220)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def show_error(parent: QWidget | None, exc: BaseException, kept_input: bool = False) -> ErrorDialog:
    """Show the error without blocking (tests monkeypatch this)."""
    if not isinstance(exc, UserError):
        log.error("unexpected error shown to the user: %s", type(exc).__name__)
    dialog = ErrorDialog(exc, parent, kept_input)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.setModal(True)
    dialog.show()
    return dialog
