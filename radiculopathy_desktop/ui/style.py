"""Colours and fonts that follow the system palette (light or dark).

Status is always shown in words; colour only reinforces it. Each status has a
light and a dark pair chosen for at least 4.5:1 contrast of text on background.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

# status -> (light background, light text, dark background, dark text)
_STATUS = {
    "immediate": ("#fde2e1", "#8a1010", "#5c1414", "#ffd7d5"),
    "ask_red_flags": ("#fde2e1", "#8a1010", "#5c1414", "#ffd7d5"),
    "overdue": ("#fde9d7", "#7a3300", "#5a3110", "#ffdcbf"),
    "due": ("#fff4c2", "#5c4400", "#4d4010", "#fff0b3"),
    "needs_follow_up": ("#ede3fb", "#4a2380", "#3c2a5c", "#e6d8ff"),
    "improving": ("#e3f4e5", "#1c5a26", "#1d4223", "#d3f2d8"),
    "upcoming": ("#dfeefc", "#0b4a80", "#17385a", "#d4e8ff"),
    "not_due": ("#e3f4e5", "#1c5a26", "#1d4223", "#d3f2d8"),
    "snoozed": ("#ececec", "#3d3d3d", "#3a3a3a", "#e6e6e6"),
    "closed": ("#ececec", "#3d3d3d", "#3a3a3a", "#e6e6e6"),
}
# tier / badge kind -> same shape; used by banners and medication badges
_KIND = {
    "emergency": _STATUS["immediate"],
    "urgent": _STATUS["overdue"],
    "routine": _STATUS["not_due"],
    "danger": _STATUS["immediate"],
    "warning": _STATUS["due"],
    "ok": _STATUS["not_due"],
    "info": _STATUS["upcoming"],
    "neutral": _STATUS["closed"],
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.Window).lightness() < 128


def _pair(entry: tuple[str, str, str, str]) -> tuple[QColor, QColor]:
    if is_dark():
        return QColor(entry[2]), QColor(entry[3])
    return QColor(entry[0]), QColor(entry[1])


def status_colours(status: str) -> tuple[QColor, QColor]:
    """(background, text) for a review status code."""
    return _pair(_STATUS.get(status, _STATUS["closed"]))


def kind_colours(kind: str) -> tuple[QColor, QColor]:
    return _pair(_KIND.get(kind, _KIND["neutral"]))


def badge_css(kind: str) -> str:
    bg, fg = kind_colours(kind)
    return f"background-color:{bg.name()}; color:{fg.name()}; border-radius:4px; padding:2px 6px;"


def banner_css(kind: str) -> str:
    bg, fg = kind_colours(kind)
    return (f"QLabel, QFrame {{ background-color:{bg.name()}; color:{fg.name()}; }}"
            f" QFrame {{ border:2px solid {fg.name()}; border-radius:6px; }}")


class ErrorLabel(QLabel):
    """The reason beside a field, in words (with a warning mark, not colour alone)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str | None) -> None:
        if message:
            bg, fg = kind_colours("danger")
            self.setStyleSheet(f"color: {fg.name()}; background-color: {bg.name()}; padding: 2px 4px;")
            self.setText("⚠ " + message)
            self.setAccessibleName("Problem: " + message)
            self.show()
        else:
            self.clear()
            self.hide()
