"""The drop-down the forms use (:class:`ChoiceBox`), with :func:`combo` and :func:`set_combo`.

Its own small module so that the worklist's first-run panel (built with the worklist, before
the window's first paint) does not load :mod:`radiculopathy_desktop.ui.forms` and everything
the forms need; :mod:`~radiculopathy_desktop.ui.forms` re-exports all three.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox


class ChoiceBox(QComboBox):
    """A drop-down that takes typed letters only as the start of one of its choices.

    A plain combo box jumps to the first choice starting with each letter typed, so a
    word meant for another field (a medicine name typed while a mnemonic's click was
    still pending) changed an answer: "naproxen" set "Chronic kidney disease" to No. Here
    the letters typed since the box got focus (or since an arrow, Backspace or Escape)
    must be the start of a choice; when they stop being one, the box goes back to the
    choice it had before the typing began, and says so in its tooltip.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._typed = ""
        self._before = -1
        # The wheel neither focuses nor changes a closed drop-down: it scrolls the page under
        # it. Over a form a turn of the wheel changed "Myocardial infarction in the past 3
        # months" from Not recorded to No, and it was saved (gp17 F4). Arrows, typed letters and
        # the open list still choose.
        self.setFocusPolicy(Qt.StrongFocus)

    def wheelEvent(self, event):  # noqa: N802
        event.ignore()  # to the scroll area behind it

    def focusInEvent(self, event):  # noqa: N802
        self._typed = ""
        super().focusInEvent(event)

    def keyPressEvent(self, event):  # noqa: N802
        text = event.text()
        command = event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)
        if event.key() == Qt.Key_Backspace and self._typed:
            self._typed = self._typed[:-1]
            self._apply()
            return
        # A space inside a choice being typed ("United States") goes on with it (red-team
        # rt12 F6: it opened the list, so "United" had already chosen the United Kingdom);
        # a space before anything is typed opens the list, as in a plain combo box.
        spelled = text == " " and bool(self._typed)
        if text and text.isprintable() and (not text.isspace() or spelled) and not command:
            if not self._typed:
                self._before = self.currentIndex()
            self._typed += text.casefold()
            self._apply()
            return
        self._typed = ""
        super().keyPressEvent(event)

    def _apply(self) -> None:
        if not self._typed:
            self._choose(self._before)
            return
        match = next((i for i in range(self.count()) if self.itemText(i).casefold().startswith(self._typed)), -1)
        if match >= 0:
            self._choose(match)
            self.setToolTip("")
        else:
            self._choose(self._before)
            self.setToolTip(f"“{self._typed}” is not the start of a choice here: nothing was changed "
                            "(Backspace or an arrow key to choose again)")

    def _choose(self, index: int) -> None:
        """Show ``index`` and, when that changed the choice, say so as a plain combo box does
        for a choice made from the keyboard (``activated``, ``textActivated``): a choice
        typed must reach what listens for the person's choice (the first-run panel saves the
        clinic's country on it) exactly as one picked from the list does."""
        if index == self.currentIndex():
            return
        self.setCurrentIndex(index)
        if index >= 0:
            self.activated.emit(index)
            self.textActivated.emit(self.itemText(index))


def combo(name: str, options: dict[str, str] | tuple, current: str | None = None) -> QComboBox:
    box = ChoiceBox()
    box.setAccessibleName(name)
    items = options.items() if isinstance(options, dict) else ((o, o.replace("_", " ").capitalize()) for o in options)
    for code, label in items:
        box.addItem(label, code)
    if current is not None:
        set_combo(box, current)
    return box


def set_combo(box: QComboBox, code) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)
