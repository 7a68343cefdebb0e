"""Print a handout or summary through the system print dialog, with a preview.

The window calls :func:`print_with_preview` (or :func:`print_with_dialog`). The
preview and the printer paint through the same :meth:`PagedDocument.render`, so the
preview is what comes out. Dialogs are reached through :data:`open_dialog` so a test
can replace it (the window's tests never block on a modal dialog).
"""

from __future__ import annotations

from typing import Callable

from radiculopathy_desktop.reports.paged import PagedDocument, configure_device


def make_printer(paper: str = "a4"):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.HighResolution)
    configure_device(printer, paper)
    return printer


def paint_to_printer(document: PagedDocument, printer) -> int:
    """Paint ``document`` on ``printer`` (the preview's paintRequested slot); return pages."""
    return document.render(printer)


def _exec(dialog) -> int:
    return dialog.exec()


#: How a dialog is shown; tests replace it with a function that does not block.
open_dialog: Callable[[object], int] = _exec


def print_with_preview(document: PagedDocument, parent=None, paper: str = "a4") -> bool:
    """Show the print preview (it has its own Print button, which opens the system
    print dialog); return True when the dialog was accepted."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = make_printer(paper)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Print preview - {document.title}" if document.title else "Print preview")
    dialog.paintRequested.connect(lambda p: paint_to_printer(document, p))
    keyboard_print(dialog)
    try:
        return bool(open_dialog(dialog))
    finally:
        dialog.deleteLater()


def keyboard_print(preview) -> None:
    """Ctrl+P in the print preview presses its Print button. The preview's toolbar takes no
    keyboard focus, so printing from it needed the mouse (keyboard walk-through, ui11)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    actions = preview.findChildren(QAction)
    action = next((a for a in actions if a.text().replace("&", "") == "Print"), None)
    if action is None:  # another Qt's wording: the action after "Show overview of all pages"
        names = [a.objectName() for a in actions]
        after = names.index("overviewModeAction") + 1 if "overviewModeAction" in names else None
        action = actions[after] if after is not None and after < len(actions) else None
    if action is None:
        return
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
    action.setShortcutContext(Qt.WindowShortcut)
    action.setToolTip(f"Print ({QKeySequence(QKeySequence.StandardKey.Print).toString(QKeySequence.NativeText)})")


def print_with_dialog(document: PagedDocument, parent=None, paper: str = "a4") -> bool:
    """The system print dialog straight away (no preview); True when printed."""
    from PySide6.QtPrintSupport import QPrintDialog

    printer = make_printer(paper)
    dialog = QPrintDialog(printer, parent)
    try:
        if open_dialog(dialog):
            paint_to_printer(document, printer)
            return True
        return False
    finally:
        dialog.deleteLater()
