"""A small app-level event hub so one change refreshes every view that shows it.

Views never talk to each other directly: a dialog that records a visit emits
``case_changed`` and the worklist, the timeline and the pathway view reload what
they show. Mutations go through the store; the hub only says *what* changed.

``store_replaced`` says that ``context.store`` is now a different :class:`CaseStore`
(a backup was restored: the old connection is closed). A view that keeps its own
reference to the store must take ``context.store`` again; ``cases_changed`` and
``settings_changed`` follow at once, so every view reloads what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventHub(QObject):
    case_changed = Signal(str)  # case_id: a visit, decision or intake was saved
    cases_changed = Signal()  # many cases at once (import, settings that move the window)
    settings_changed = Signal()
    open_case = Signal(str)  # case_id: show this patient
    store_replaced = Signal()  # context.store is a new store (after a restore); the old one is closed
