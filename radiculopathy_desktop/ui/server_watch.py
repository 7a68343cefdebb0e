"""The clinic server, watched: live refresh and "the server cannot be reached", in words.

:class:`ServerWatch` keeps one connection of its own to the clinic server, in a worker
thread (:class:`~radiculopathy_desktop.ui.workers.Worker`), separate from the store's
pool, and LISTENs on :data:`CHANNEL`. Every write the server store makes sends a
notification with the changed case's ID when it commits (``PgStore`` ``pg_notify``, so
a write that rolled back announces nothing). The watch then

* ignores the echo of the window's own saves (sent by its own store's connections,
  ``PgStore.is_own_backend``): the operation runner announced those already, so a save
  refreshes the views once;
* announces the change through the operation runner's one path
  (``context.ops.announce(Changes(...))``): the worklist and an open patient view of that
  case refresh as if this window had made the change;
* on a dropped connection (the server stopped, the network failed) emits ``reachable``
  False at once, and tries again every :data:`RETRY_S` seconds; when it is back, emits
  ``reachable`` True and the window refreshes everything (notifications sent while it was
  away are lost, so nothing is assumed).

Operations that fail with ``StorageErrorKind.UNREACHABLE`` report the same state
(:meth:`ServerWatch.report`), so a save that could not be made turns the banner on at
once too.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("radiculopathy_desktop.ui")

#: The notification channel the server store sends on (storage/pg/store.py NOTIFY_CHANNEL).
CHANNEL = "radiculopathy_changes"
#: How long the watch waits between attempts to reach a server that went away.
RETRY_S = 1.0
#: How often the listening loop looks at its stop flag while no notification comes.
POLL_S = 0.25


class ServerWatch(QObject):
    """See the module docstring. ``start()`` once; ``stop()`` before the store closes."""

    reachable = Signal(bool)  # False: the server cannot be reached; True: it is back
    notified = Signal(object)  # a tuple of changed case IDs ("" for a clinic-wide change)

    def __init__(self, conninfo: str, parent: QObject | None = None, is_own=None, since_audit_id: int | None = None):
        super().__init__(parent)
        self._conninfo = conninfo
        # The newest audit entry when the window's data was first read (PgStore.audit_mark):
        # once listening, the cases written after it are announced like a notice, since a
        # change committed before the LISTEN sent a notice nobody heard.
        self._since = since_audit_id
        # is_own(pid): True for a notification sent by this window's own store (PgStore.is_own_backend):
        # the window announced that save itself, so its echo is dropped (one refresh, not two).
        self._is_own = is_own
        self._stop = threading.Event()
        self._worker = None
        self.state: bool | None = None  # None until the first connection attempt ends
        self.listening = threading.Event()  # set while LISTEN is in place (tests wait on it)

    def start(self) -> None:
        from radiculopathy_desktop.ui.workers import Worker
        if self._worker is not None:
            return
        self._worker = Worker(self._run)
        self._worker.start()

    def stop(self) -> None:
        self._stop.set()  # the loop looks at it every POLL_S (or after a connection attempt ends)
        if self._worker is not None:
            self._worker.wait()
            self._worker.deleteLater()
            self._worker = None

    def report(self, ok: bool) -> None:
        """What an operation found (GUI thread): False when it could not reach the server."""
        self._set_state(ok)

    def _set_state(self, ok: bool) -> None:
        if self.state is ok:
            return
        self.state = ok
        log.info("clinic server %s", "reachable" if ok else "cannot be reached")
        self.reachable.emit(ok)

    # -- the worker thread
    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._catch_up(conn)
                    self.listening.set()
                    self._set_state(True)
                    self._listen(conn)
            except psycopg.Error as exc:
                if self._stop.is_set():
                    break
                log.info("clinic-server watch: connection lost (%s)", type(exc).__name__)
                self._set_state(False)
            finally:
                self.listening.clear()
            self._stop.wait(RETRY_S)

    def _catch_up(self, conn) -> None:
        """At the first LISTEN: the cases written since the window first read the server
        ("" for a write that names no case), announced as a notice would have been."""
        since, self._since = self._since, None
        if since is None:
            return
        ids = tuple(row[0] for row in conn.execute(
            "SELECT DISTINCT coalesce(case_id, '') FROM audit WHERE id > %s", (since,)))
        if ids:
            log.info("clinic-server watch: %d case(s) changed before it listened", len(ids))
            self.notified.emit(ids)

    def _listen(self, conn) -> None:
        while not self._stop.is_set():
            ids: list[str] = []
            for note in conn.notifies(timeout=POLL_S):
                if self._is_own is not None and self._is_own(note.pid):
                    continue
                if note.payload not in ids:
                    ids.append(note.payload)
            if ids:
                self.notified.emit(tuple(ids))
