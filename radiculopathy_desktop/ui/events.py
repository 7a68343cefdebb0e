"""A small app-level event hub so one change refreshes every view that shows it.

Views never talk to each other directly: a dialog that records a visit emits
``case_changed`` and the worklist, the timeline and the pathway view reload what
they show. Mutations go through the store; the hub only says *what* changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventHub(QObject):
    case_changed = Signal(str)  # case_id: a visit, decision or intake was saved
    cases_changed = Signal()  # many cases at once (import, settings that move the window)
    settings_changed = Signal()
    open_case = Signal(str)  # case_id: show this patient
