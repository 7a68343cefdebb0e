"""A small app-level event hub so one change refreshes every view that shows it.

Views never talk to each other directly. Every write goes through the operation
runner (:mod:`radiculopathy_desktop.ui.operations`), which announces the store's
:class:`~radiculopathy_desktop.storage.store.Changes` as ``changed(changes, initiator)``;
each view refreshes from the flags it cares about (the worklist from ``worklist``, the
patient view when its case id is in ``case_ids``...). ``case_changed``, ``cases_changed``
and ``settings_changed`` are coarser signals the runner derives from the same changes,
for code that only needs to know that something changed; nothing else emits them.

``store_replaced`` says that ``context.store`` is now a different :class:`CaseStore`
(a backup was restored: the old connection is closed). A view that keeps its own
reference to the store must take ``context.store`` again; ``cases_changed`` and
``settings_changed`` follow at once, so every view reloads what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventHub(QObject):
    changed = Signal(object, object)  # (storage Changes, initiator): emitted by the operation runner only
    case_changed = Signal(str)  # case_id: a visit, decision or intake was saved (derived from changed)
    cases_changed = Signal()  # many cases at once (import, settings that move the window)
    settings_changed = Signal()
    open_case = Signal(str)  # case_id: show this patient
    store_replaced = Signal()  # context.store is a new store (after a restore); the old one is closed
