"""A layout that wraps its widgets onto more lines when the window is narrow (the button
bars at 200% text on a 1920x1080 screen), after Qt's Flow Layout example.

It keeps QLayout's own expandingDirections (both directions): each bar sits above a widget with
a stretch factor (the worklist's list, the patient's tabs), which takes all the spare height, so
the bar stays at its height for its width. An override returning a Qt.Orientations (even
super()'s) makes PySide6 build its whole Qt namespace at the first layout, before the first
paint (issue 17); tests/ui/test_startup_qt_enums.py checks the worklist's bar at 100 % and 200 %
text, with cases and with none."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout


class FlowLayout(QLayout):
    def __init__(self, parent=None, spacing: int = -1):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing

    def addItem(self, item) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._do_layout(QRect(0, 0, width, 0), test_only=True)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._do_layout(rect, test_only=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        # One line when there is room: the sum of the widths.
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in self._items) + self._gap() * max(len(self._items) - 1, 0)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _gap(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        if self.parentWidget() is None:
            return 6
        # Qt's own answer for a layout with no spacing set: the parent widget's style's
        # horizontal layout spacing (QStyle.PM_LayoutHorizontalSpacing). Asked of QLayout
        # rather than of QStyle, whose ~20 enums PySide6 would otherwise build at start-up.
        return QLayout.spacing(self)

    def _do_layout(self, rect: QRect, test_only: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        gap = max(self._gap(), 4)
        for item in self._items:
            if item.widget() is not None and not item.widget().isVisibleTo(self.parentWidget()):
                continue
            hint = item.sizeHint()
            next_x = x + hint.width() + gap
            if next_x - gap > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + gap
                next_x = x + hint.width() + gap
                line_height = 0
            if not test_only:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x = next_x
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()
