"""The one worker-thread helper: run a function once off the GUI thread, report back on it.

``Worker(fn)`` is a :class:`QThread`; ``succeeded(result)`` or ``failed(exception)`` is
emitted when ``fn`` returns or raises, and Qt delivers it to the slots in the GUI thread
(queued across threads). ``fn`` must not touch widgets. The backup scheduler, the
Backups view, the background quick check and the operation runner all use it.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal


class Worker(QThread):
    """Run ``fn`` once in a thread; ``succeeded(result)`` or ``failed(exception)`` on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread, never lost
            self.failed.emit(exc)
            return
        self.succeeded.emit(result)
