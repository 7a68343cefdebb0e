"""The size a correction dialog (Edit medicines, Edit conditions) opens at, and its "Not saved"
list (dialog31, H-UI-511).

GP tryout 31 (D8): Edit medicines opened at about 270 px wide the first time and 362x548 after,
so two or three table rows showed and the dose header was cut; the red "Not saved" box was clipped
after row 7 and could not be scrolled. Now the dialog opens at the size its content asks for,
within the screen's available area (at least :data:`OPEN_SHARE` of it, never beyond it), or at
the size the user last gave it on this computer when that still fits; the "Not saved" list says
one problem a line in a box that scrolls when it is longer than a quarter of the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from radiculopathy_desktop.ui.style import ErrorLabel

#: The share of the screen's available width and height a correction dialog opens at, at least
#: (its content may ask for more, up to the whole available area): a table of ten medicines and
#: their verdicts read without scrolling on a 1366x768 screen.
OPEN_SHARE = (0.5, 0.75)
#: Never wider than this when nothing is remembered: a wide screen's room is left to the case page.
OPEN_WIDTH_AT_MOST = 1000


def available(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def _key(name: str) -> str:
    return f"dialogs/{name}/size"


def open_size(dialog: QWidget, name: str) -> QSize:
    """The size ``dialog`` opens at: the one remembered for ``name`` when it fits the screen's
    available area, otherwise its content's size hint grown to :data:`OPEN_SHARE` of that area
    (at most :data:`OPEN_WIDTH_AT_MOST` wide), never beyond the area."""
    room = available(dialog)
    saved = QSettings().value(_key(name))
    if isinstance(saved, QSize) and saved.isValid() and saved.width() <= room.width() \
            and saved.height() <= room.height():
        return saved.expandedTo(dialog.minimumSizeHint()).boundedTo(room.size())
    dialog.layout().activate()
    hint = dialog.sizeHint()
    width = max(hint.width(), min(int(room.width() * OPEN_SHARE[0]), OPEN_WIDTH_AT_MOST))
    height = max(hint.height(), int(room.height() * OPEN_SHARE[1]))
    return QSize(min(width, room.width()), min(height, room.height()))


def fit_and_centre(dialog: QWidget, name: str) -> None:
    """Resize ``dialog`` to :func:`open_size` and centre it on its parent's screen area."""
    size = open_size(dialog, name)
    dialog.resize(size)
    room = available(dialog)
    frame = QRect(0, 0, size.width(), size.height())
    frame.moveCenter(room.center())
    dialog.move(max(frame.left(), room.left()), max(frame.top(), room.top()))


def remember_size(dialog: QWidget, name: str) -> None:
    """Keep the size the user gave ``dialog`` for its next opening on this computer."""
    QSettings().setValue(_key(name), dialog.size())


class ErrorList(ErrorLabel):
    """The "Not saved" reasons, one a line, in a box (:attr:`area`, the widget to lay out) that
    scrolls when they are longer than a quarter of the screen's available height: every bad row
    readable however many there are."""

    def __init__(self, parent=None):
        super().__init__()
        self.area = QScrollArea(parent)
        self.area.setFrameShape(QFrame.NoFrame)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.area.setWidget(self)
        self.area.setFocusPolicy(Qt.NoFocus)
        self.area.hide()

    def show_lines(self, first: str, lines: list[str]) -> None:
        """``first`` then each of ``lines`` on a line of its own (no stray full stops)."""
        self.show_message("\n".join([first, *(f"• {line.rstrip().rstrip('.;')}." for line in lines)]))

    def show_message(self, message: str | None) -> None:
        super().show_message(message)
        self.area.setVisible(bool(message))
        if message:
            cap = max(self.fontMetrics().height() * 4, available(self.area).height() // 4)
            width = max(self.area.viewport().width(), self.area.width(), 200)
            needed = self.heightForWidth(width) + 2 * self.area.frameWidth() + 4
            self.area.setMinimumHeight(min(max(needed, self.fontMetrics().height() + 8), cap))
            self.area.setMaximumHeight(cap)
            self.area.verticalScrollBar().setValue(0)
