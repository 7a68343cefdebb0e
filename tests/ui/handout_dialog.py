"""Saving and closing the window's handout dialog (Ctrl+P), as the handout-dialog tests do (shared by them)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from .test_exports import _pdf_text


def saved_pdf_words(dialog, qtbot, save_to, out) -> str:
    """Save the dialog's handout as ``out`` (``save_to``: the test_exports fixture answering the file dialog);
    its words, NFKC-normalised, white space folded."""
    save_to(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    qtbot.waitUntil(out.exists)
    return " ".join(unicodedata.normalize("NFKC", _pdf_text(out)[0]).split())


def close_dialog(window, qtbot, dialog) -> None:
    """Close the dialog and wait until the patient page no longer holds it."""
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))
