"""``Qt``, PySide6's namespace of enums, made the first time one of its members is used, and the
few of its values the start-up needs before the first paint, as plain ints (issue 17).

The first use of ``PySide6.QtCore.Qt`` (importing the name, passing or receiving one of its
enums) makes PySide6 build the whole namespace: ~90 Python enum classes, ~115 M instructions,
a sixth of the start-up to the painted worklist. The modules on the start-up path import
:data:`Qt` from here instead; each attribute read (``Qt.AlignLeft``) fetches the real member,
so code after the first paint is written as usual. Before the first paint, code passes the ints
below where Qt takes them without an enum: a signal's connection type, an item role, and an enum
property through ``QObject.setProperty`` (Qt's property system converts the int). Each int is
checked against the real enum by ``tests/ui/test_startup_qt_enums.py``.
"""

from __future__ import annotations


class _LazyNamespace:
    """Stands in for ``PySide6.QtCore.Qt``: every attribute is the real one, fetched on first use."""

    def __getattr__(self, name: str):
        from PySide6.QtCore import Qt as real
        value = getattr(real, name)
        setattr(self, name, value)  # later reads find it without this method
        return value

    def __repr__(self) -> str:
        return "<lazy PySide6.QtCore.Qt>"


Qt = _LazyNamespace()

# Values of Qt enums for the start-up path (before the first paint), as plain ints.
QUEUED_CONNECTION = 2  # Qt.ConnectionType.QueuedConnection
SINGLE_SHOT_CONNECTION = 0x100  # Qt.ConnectionType.SingleShotConnection
USER_ROLE = 256  # Qt.ItemDataRole.UserRole
PLAIN_TEXT = 0  # Qt.TextFormat.PlainText, for setProperty("textFormat", ...)
RICH_TEXT = 1  # Qt.TextFormat.RichText
TEXT_SELECTABLE_BY_MOUSE = 1  # Qt.TextInteractionFlag.TextSelectableByMouse, for "textInteractionFlags"
WIDGET_SHORTCUT = 0  # Qt.ShortcutContext.WidgetShortcut, for setProperty("context" / "shortcutContext", ...)
WINDOW_SHORTCUT = 1  # Qt.ShortcutContext.WindowShortcut
APPLICATION_SHORTCUT = 2  # Qt.ShortcutContext.ApplicationShortcut


def single_shot(ms: int, receiver, slot) -> None:
    """``QTimer.singleShot(ms, receiver, slot)`` for a delay of ``ms`` > 0, made the way PySide6
    makes it (a single-shot ``QTimer`` connected to ``slot``, deleted once it has fired), without
    that call's first-use cost: PySide6 connects its timer through ``QObject.connect(timer,
    SIGNAL, receiver, slot)``, whose first use builds ``QMetaMethod``'s two enums (~1.6 M
    instructions before the first paint, issue 17). The timer is the receiver's child, so it never
    fires once the receiver is gone, as the receiver's connection would not. A delay of 0 is
    Qt's queued call (no timer, no such cost): keep ``QTimer.singleShot(0, receiver, slot)``."""
    from PySide6.QtCore import QTimer

    if ms <= 0:
        raise ValueError("single_shot is for a delay; QTimer.singleShot(0, receiver, slot) queues a call")
    timer = QTimer(receiver)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    timer.timeout.connect(timer.deleteLater)
    timer.start(ms)
