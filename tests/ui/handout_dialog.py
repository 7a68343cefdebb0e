"""Saving and closing the window's handout dialog (Ctrl+P), as the handout-dialog tests do (shared by them)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

from .test_exports import _handout_dialog, _pdf_text


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


def case_sheet_item(window, qtbot, context, case: dict, sheet_id: str):
    """``case`` imported, opened, and its handout dialog opened (Ctrl+P): the dialog and its sheet list's item
    for ``sheet_id`` (e.g. "med_acetaminophen")."""
    from radiculopathy_desktop.domain.intake import parse_case

    context.store.import_cases([parse_case(case)], user="test")
    window.open_case(case["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    dialog = _handout_dialog(qtbot, window)
    items = [dialog.sheets.item(i) for i in range(dialog.sheets.count())]
    return dialog, next(i for i in items if i.data(Qt.UserRole) == sheet_id)
