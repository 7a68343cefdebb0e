"""Colours and fonts that follow the system palette (light or dark).

Status is always shown in words; colour only reinforces it. Each status has a
light and a dark pair chosen for at least 4.5:1 contrast of text on background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from radiculopathy_desktop.domain.vocab import Direction, ImagingDecision, MedicineStatus, ReviewStatus, Tier
from radiculopathy_desktop.ui.lazy_qt import PLAIN_TEXT, TEXT_SELECTABLE_BY_MOUSE

# review status -> (light background, light text, dark background, dark text)
_STATUS = {
    ReviewStatus.IMMEDIATE: ("#fde2e1", "#8a1010", "#5c1414", "#ffd7d5"),
    ReviewStatus.ASK_RED_FLAGS: ("#fde2e1", "#8a1010", "#5c1414", "#ffd7d5"),
    ReviewStatus.OVERDUE: ("#fde9d7", "#7a3300", "#5a3110", "#ffdcbf"),
    ReviewStatus.DUE: ("#fff4c2", "#5c4400", "#4d4010", "#fff0b3"),
    ReviewStatus.NEEDS_FOLLOW_UP: ("#ede3fb", "#4a2380", "#3c2a5c", "#e6d8ff"),
    ReviewStatus.IMPROVING: ("#e3f4e5", "#1c5a26", "#1d4223", "#d3f2d8"),
    ReviewStatus.UPCOMING: ("#dfeefc", "#0b4a80", "#17385a", "#d4e8ff"),
    ReviewStatus.NOT_DUE: ("#e3f4e5", "#1c5a26", "#1d4223", "#d3f2d8"),
    # a paused or closed case is meant to look quiet: its words say what it is
    ReviewStatus.SNOOZED: ("#ececec", "#3d3d3d", "#3a3a3a", "#e6e6e6"),
    ReviewStatus.CLOSED: ("#ececec", "#3d3d3d", "#3a3a3a", "#e6e6e6"),
}
# badge kind -> same shape; used by banners, badges and error labels
_KIND = {
    "emergency": _STATUS[ReviewStatus.IMMEDIATE],
    "urgent": _STATUS[ReviewStatus.OVERDUE],
    "routine": _STATUS[ReviewStatus.NOT_DUE],
    "danger": _STATUS[ReviewStatus.IMMEDIATE],
    "warning": _STATUS[ReviewStatus.DUE],
    "ok": _STATUS[ReviewStatus.NOT_DUE],
    "info": _STATUS[ReviewStatus.UPCOMING],
    "neutral": _STATUS[ReviewStatus.CLOSED],
}
#: The badge kind of each member of each vocabulary shown as a badge, keyed on the member
#: (domain/vocab.py), never on a guessed string; a test holds every member to an entry.
BADGE_KINDS: dict[type, dict] = {
    Tier: {Tier.EMERGENCY: "emergency", Tier.URGENT: "urgent", Tier.ROUTINE: "routine"},
    Direction: {
        Direction.RECOMMEND: "ok",
        Direction.CONSIDER: "info",
        Direction.DISPUTED: "warning",
        Direction.NOT_RECOMMENDED: "danger",
        Direction.DO_NOT_OFFER: "danger",
    },
    MedicineStatus: {
        MedicineStatus.OK: "ok",
        MedicineStatus.NOT_FULLY_CHECKED: "warning",
        MedicineStatus.CAUTION: "warning",
        MedicineStatus.REDUCE_DOSE: "danger",
        MedicineStatus.AVOID: "danger",
        MedicineStatus.CONTRAINDICATED: "danger",
    },
    ImagingDecision: {
        ImagingDecision.NOT_INDICATED: "ok",
        ImagingDecision.CONSIDER_AFTER_6_WEEKS: "info",
        ImagingDecision.INDICATED_NOW: "warning",
    },
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.Window).lightness() < 128


def _pair(entry: tuple[str, str, str, str]) -> tuple[QColor, QColor]:
    if is_dark():
        return QColor(entry[2]), QColor(entry[3])
    return QColor(entry[0]), QColor(entry[1])


def status_colours(status: str) -> tuple[QColor, QColor]:
    """(background, text) for a review status (a ReviewStatus or its code)."""
    return _pair(_STATUS.get(status, _STATUS[ReviewStatus.CLOSED]))


def kind_colours(kind: str) -> tuple[QColor, QColor]:
    """(background, text) for a badge kind ("danger", "ok", ...) or a vocabulary member
    (a Tier, Direction, MedicineStatus, ImagingDecision or ReviewStatus)."""
    if isinstance(kind, ReviewStatus):
        return status_colours(kind)
    table = BADGE_KINDS.get(type(kind))
    if table is not None:
        return _pair(_KIND[table[kind]])
    return _pair(_KIND.get(kind, _KIND["neutral"]))


def is_neutral(kind: str) -> bool:
    """The kind (or member) gets the grey badge an unknown value falls back to."""
    return kind_colours(kind) == kind_colours("neutral")


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
        self.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)  # no Qt enum before the first paint
        self.hide()

    def show_message(self, message: str | None) -> None:
        if message:
            bg, fg = kind_colours("danger")
            self.setStyleSheet(f"color: {fg.name()}; background-color: {bg.name()}; padding: 2px 4px;")
            self.setText("⚠ " + message)
            self.setAccessibleName("Problem: " + message)
            self.show()
            self._fit_height()
        else:
            self.clear()
            self.hide()

    def _fit_height(self) -> None:
        """At least the height its wrapped text needs at its width now: a form row (and a row
        nested in one) laid it out one line high, and the reason after "is not a real date:"
        was cut off (tryout36 F14, H-UI-557)."""
        needed = self.heightForWidth(self.width()) if self.width() > 0 else -1
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()


def message_label(accessible_name: str, css: str = "font-weight: bold;") -> QLabel:
    """A hidden, bold, word-wrapped plain-text line for a warning a page or dialog shows when it
    applies (red flags standing, answers carried from an intake, a pregnancy another case
    contradicts, a choice still to make): one builder for them all."""
    label = QLabel()
    label.setWordWrap(True)
    label.setProperty("textFormat", PLAIN_TEXT)
    label.setAccessibleName(accessible_name)
    label.setStyleSheet(css)
    label.hide()
    return label
