"""A scroll area for safety text that is never cut off (gp19 F7, F8): see :class:`SafetyTextArea`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

NO_FRAME = 0  # QFrame.Shape.NoFrame, for setProperty("frameShape", ...)
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
NO_FOCUS = 0  # Qt.FocusPolicy.NoFocus
STRONG_FOCUS = 11  # Qt.FocusPolicy.StrongFocus (Tab and click)


class SafetyTextArea(QScrollArea):
    """Safety text that is never cut off (gp19 F7): the labels given (word-wrapped) are shown
    whole where the page has room, and past ``share`` of the page's height the area scrolls
    (a scroll bar, and Tab reaches it so Page Down and the arrows scroll it). At 1366x768 the
    case page's red pregnancy lines and Medicine safety box, and the worklist's Why pane, were
    squeezed by the layout and stopped mid-sentence with no scroll bar.

    The area asks for that height but can be squeezed to four lines (then it scrolls), so
    however many alerts it holds, the window never has to grow past the screen (gp20 F4).

    The height follows the text at the width it wraps at: re-measured when a label's text or
    visibility changes (the content's layout request), when the page is resized, and on
    :meth:`fit`. Empty (every label hidden), it takes no room."""

    def __init__(self, *labels: QWidget, share: float = 0.45, name: str = "", parent: QWidget | None = None,
                 page_height=None):
        super().__init__(parent)
        self._fitting = False
        self.share = share
        self.page_height = page_height  # a callable giving the height ``share`` is of (default: the parent's)
        self.labels = labels
        inner = QWidget()
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 0, 0)
        for label in labels:
            box.addWidget(label)
        box.addStretch(0)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        # ints through the property system: the worklist builds this before its first paint,
        # when the Qt namespace must not be built yet (lazy_qt, issue 17)
        self.setProperty("frameShape", NO_FRAME)
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.setProperty("focusPolicy", NO_FOCUS)
        if name:
            self.setAccessibleName(name)
        inner.installEventFilter(self)
        for label in labels:
            label.installEventFilter(self)

    def needed_height(self, width: int | None = None) -> int:
        """The height of the whole text at ``width`` (the viewport's now), every shown label."""
        width = self.viewport().width() if width is None else width
        inner = self.widget()
        layout = inner.layout()
        if not any(not label.isHidden() for label in self.labels) or width <= 0:
            return 0
        needed = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        return needed if needed > 0 else layout.sizeHint().height()

    def fit(self) -> None:
        """Take the whole text's height, up to ``share`` of the page (then it scrolls)."""
        if self._fitting or self.parentWidget() is None:  # not yet in its page: never shown as a window
            return
        self._fitting = True
        try:
            bar = self.verticalScrollBar().sizeHint().width()
            width = max(self.width(), 1)
            needed = self.needed_height(width)
            page = self.parentWidget()
            room = self.page_height() if self.page_height is not None else (page.height() if page is not None else 0)
            cap = int(room * self.share) if room > 0 else needed
            lines = 4 * self.fontMetrics().lineSpacing()
            limit = max(cap, min(needed, lines))  # at least four lines of it in view
            if needed > limit:  # it scrolls: measured at the width left beside the scroll bar
                needed = self.needed_height(width - bar)
            height = min(needed, limit)
            # At most ``height``, and as little as four lines when the window has no more room: a
            # fixed height made the page's minimum grow with the page (half of it), so a page of
            # many alerts pushed the window past the screen's bottom, its status bar off-screen
            # (gp20 F4, H-UI-384). The layout gives it ``height`` where there is room (sizeHint).
            self._wanted = height
            self.setMinimumHeight(min(height, max(lines, self._room_left(page))))
            self.setMaximumHeight(height)
            self.updateGeometry()
            self.setVisible(needed > 0)
            self._needed = needed
            self._set_focus_policy()
        finally:
            self._fitting = False

    _wanted = 0
    _needed = 0

    def _room_left(self, page: QWidget | None) -> int:
        """The height the page has for this area beside the minimum of everything else in its
        layout, within the screen: a window already taller than the screen's available area
        (about to be fitted back) counts only the part on the screen."""
        layout = page.layout() if page is not None else None
        if layout is None or layout.indexOf(self) < 0:
            return self._wanted
        others = layout.minimumSize().height() - (self.minimumHeight() if not self.isHidden() else 0)
        height = page.height()
        window = self.window()
        screen = window.screen() if window is not None else None
        if screen is not None and window.isWindow():
            height -= max(0, window.frameGeometry().height() - screen.availableGeometry().height())
        return height - others

    def scrolls(self) -> bool:
        """Whether part of the text is out of view now (Tab then reaches the area to scroll it)."""
        return self._needed > self.height() if self.isVisible() else self._needed > self._wanted

    def _set_focus_policy(self) -> None:
        scrolls = self.scrolls()
        self.setProperty("focusPolicy", STRONG_FOCUS if scrolls else NO_FOCUS)
        # said by a screen reader with the area's name: there is more than is in view, and how to read it
        self.setAccessibleDescription("More below: Page Down reads the rest" if scrolls else "")

    def sizeHint(self):  # noqa: N802 (Qt API)
        hint = super().sizeHint()
        hint.setHeight(self._wanted)
        return hint

    def minimumSizeHint(self):  # noqa: N802 (Qt API)
        hint = super().minimumSizeHint()
        hint.setHeight(self.minimumHeight())
        return hint

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() in (QEvent.LayoutRequest, QEvent.ShowToParent, QEvent.HideToParent) and not self._fitting:
            self.fit()
        elif (event.type() == QEvent.Resize and watched is self.widget()
              and event.oldSize().width() != event.size().width()):
            # the scroll bar came or went (the area squeezed below its text): the labels wrap again
            # at the width left, never laid out at the old one and cut off at the right edge
            watched.layout().invalidate()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()
        elif event.oldSize().height() != event.size().height():
            self._set_focus_policy()  # squeezed below its text (a short window), or given it back

    def watch_page(self, page: QWidget) -> None:
        """Re-fit when ``page`` (whose height ``share`` is of) is resized."""
        page.installEventFilter(_PageResize(self, page))


class _PageResize(QObject):
    def __init__(self, area: SafetyTextArea, page: QWidget):
        super().__init__(page)
        self.area = area

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Resize:
            self.area.fit()
        return False
