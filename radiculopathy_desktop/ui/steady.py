"""Fields that stay under the pointer while a banner above them comes, grows or shrinks (tryout36 F7,
H-UI-554): see :func:`hold_content`."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QWidget


def hold_content(area: QScrollArea, moved_down: int) -> None:
    """The top of ``area``'s view moved down by ``moved_down`` pixels (a banner above it grew or
    appeared while the form is being filled in): scroll the form as far, so every field stays at
    the same place on the screen and a click aimed a moment ago lands in the field it was aimed at.
    A form shorter than its view gets the room it needs below its last field to scroll so. The
    first fields go up out of view under the banner; the scroll bar (or Tab) brings them back.

    Used with a banner room that never shrinks while the form is open (its high-water mark): a
    shorter banner, or none, leaves its room empty rather than pull the fields up."""
    if moved_down <= 0 or area.widget() is None or not area.isVisible():
        return
    bar = area.verticalScrollBar()
    inner = area.widget()
    wanted = bar.value() + moved_down
    layout = inner.layout()
    for step in range(3):  # the form's height is at least the view's: add what is short, once or twice
        if layout is None or (step and wanted <= bar.maximum()):
            break
        # room below the last field, kept by the form's layout (a minimum height set on the form
        # would be reset by its layout at the next change); as much as the push at least, so the
        # form stays put when the window then grows by as much (a dialog's minimum height)
        short = area.viewport().height() + wanted - max(inner.height(), layout.minimumSize().height())
        extra = max(short, wanted - bar.maximum(), moved_down if step == 0 else 0)
        if extra <= 0:
            break
        left, top, right, bottom = layout.getContentsMargins()
        layout.setContentsMargins(left, top, right, bottom + extra)
        inner.setProperty("steady_room", int(inner.property("steady_room") or 0) + extra)
        layout.activate()
        inner.resize(inner.width(), max(inner.height(), layout.minimumSize().height()))
    bar.setValue(wanted)


def give_back_room(area: QScrollArea) -> None:
    """The room :func:`hold_content` added below the form, given back (the form is left)."""
    inner = area.widget()
    extra = int(inner.property("steady_room") or 0) if inner is not None else 0
    if extra and inner.layout() is not None:
        left, top, right, bottom = inner.layout().getContentsMargins()
        inner.layout().setContentsMargins(left, top, right, max(0, bottom - extra))
        inner.setProperty("steady_room", 0)


class SteadyScrollArea(QScrollArea):
    """A form's scroll area below a room of messages (what to do now, red flags standing): when
    the area is pushed down because that room grew while the form is open, its form is scrolled
    as far (:func:`hold_content`), so the fields stay where they were on the screen (F7)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pushed = 0

    def moveEvent(self, event):  # noqa: N802 (Qt API)
        super().moveEvent(event)
        down = event.pos().y() - event.oldPos().y()
        if down > 0 and self.isVisible():
            self._pushed += down
            from PySide6.QtCore import QTimer
            QTimer.singleShot(0, self._hold)  # moved without a resize (the window grew as far)

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)  # the scroll range first, for the new height
        self._hold()

    def _hold(self) -> None:
        pushed, self._pushed = self._pushed, 0
        hold_content(self, pushed)


class KeptRoom(QWidget):
    """The room of messages above a form (:class:`SteadyScrollArea`): while the window is open it
    never gets shorter, so a message that goes or gets shorter leaves its room empty rather than
    pull the fields up under the pointer (F7)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._kept = 0

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        window = self.window()
        if window is not None and window.isVisible() and event.size().height() > self._kept:
            self._kept = event.size().height()
            self.setMinimumHeight(self._kept)
