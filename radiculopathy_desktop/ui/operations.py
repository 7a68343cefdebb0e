"""The window's one way to change data: :class:`OperationRunner` (Anki's ``CollectionOp``).

Every write the window makes (an intake, a visit, a decision, settings, the clinic's
name and country, drafts, audit records, a restore...) is a function of the store::

    outcome = context.ops.run(lambda store: store.add_visit(case_id, visit, user=...), parent=self)
    if outcome.ok:
        self.accept()

The runner

* runs the function in a worker thread (:class:`~radiculopathy_desktop.ui.workers.Worker`),
  one write at a time: a database locked by another program makes the write wait up to
  the busy timeout, and meanwhile the GUI thread keeps painting and running its timers
  (after a quarter of a second, a local event loop that holds back keyboard and mouse
  input until the write is done, so nothing can be saved twice); the caller's code then
  continues in order;
* on failure shows the error in plain language (:func:`ui.errors.show_error`, saying that
  what was typed is kept) and changes nothing on screen: the caller keeps its fields
  as they are (or, with ``errors="raise"``, gets the exception to explain it itself);
* on success announces what changed: ``hub.changed(changes, initiator)`` with the store's
  :class:`~radiculopathy_desktop.storage.store.Changes`; each view refreshes from the
  flags it cares about. The coarse hub signals (``case_changed``, ``cases_changed``,
  ``settings_changed``, ``store_replaced``) are derived from that here and nowhere else:
  no write path emits them by hand (tests/ui/test_operations.py checks the source).

A write that must finish before the caller goes on without any event loop (the crash
guard keeping a draft, a window closing) uses ``run(..., wait="here")``: the same
announcement, in the calling thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable, Generic, Literal, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from radiculopathy_desktop.domain.frozen import FrozenRecord
from radiculopathy_desktop.storage.store import Changes
from radiculopathy_desktop.ui.lazy_qt import Qt

from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # the store contract, for annotations only
    from radiculopathy_desktop.storage.contract import Store

log = logging.getLogger("radiculopathy_desktop.ui")

T = TypeVar("T")

#: Every flag set: what a view must assume after the store was replaced (a restore).
EVERYTHING = Changes(worklist=True, patients=True, assessments=True, settings=True, drafts=True)
#: A write that changed nothing a view shows (an audit record of a view, for example).
NOTHING = Changes()


def changes_of(result: Any) -> Changes:
    """The :class:`Changes` a store method returned: itself, its ``.changes`` (an import
    result), the merge of a tuple or list of them; ``NOTHING`` for anything else."""
    if isinstance(result, Changes):
        return result
    inner = getattr(result, "changes", None)
    if isinstance(inner, Changes):
        return inner
    if isinstance(result, (tuple, list)):
        return merge(*(changes_of(part) for part in result))
    return NOTHING


def merge(*parts: Changes) -> Changes:
    """One :class:`Changes` saying everything ``parts`` say (case ids in order, once each)."""
    ids: list[str] = []
    for part in parts:
        ids.extend(cid for cid in part.case_ids if cid not in ids)
    flags = {name: any(getattr(p, name) for p in parts) for name in Changes._fields
             if name not in ("case_ids", "case", "saved_record", "new_episode_while_open")}
    cases = [p.case for p in parts if p.case is not None]
    saved = [p.saved_record for p in parts if p.saved_record is not None]
    # the record a keyed save found and the re-opened episodes are kept as they are, not made
    # True/False (a merged Changes turned them into booleans: st18 noticed)
    episodes = tuple(item for p in parts for item in p.new_episode_while_open)
    return Changes(case_ids=tuple(ids), case=cases[-1] if len(cases) == 1 else None,
                   saved_record=saved[-1] if len(saved) == 1 else None, new_episode_while_open=episodes, **flags)


class Outcome(FrozenRecord, Generic[T]):
    """How one operation ended: ``ok`` with the function's ``value``, or its ``error``.

    A hand-written frozen record (:mod:`radiculopathy_desktop.domain.frozen`, issue 17)."""

    _fields = ("ok", "value", "error", "changes")
    ok: bool
    value: T | None
    error: BaseException | None
    changes: Changes

    def __init__(self, ok: bool, value: T | None = None, error: BaseException | None = None,
                 changes: Changes = NOTHING):
        self._set_fields(ok, value, error, changes)


class OperationRunner(QObject):
    """Runs the window's writes (see the module docstring). One per :class:`AppContext`."""

    #: How long the GUI thread simply waits for a write before it runs a local event loop
    #: (a quarter of a second: unnoticed, and far below SQLite's busy timeout).
    QUICK_WRITE_S = 0.25

    def __init__(self, context, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self._write_lock = threading.Lock()  # one write at a time on the store's one connection
        self.pending = 0  # operations started and not finished (tests and the status bar read it)
        self._writing = 0  # writes running in the worker (the GUI thread meanwhile runs timers)
        self._deferred: dict[object, Callable[[], Any]] = {}  # view reads held back until they finish

    # ------------------------------------------------------------------ reads while a write runs
    @property
    def writing(self) -> bool:
        """True while a write runs in the worker (on the store's one connection)."""
        return self._writing > 0

    def defer_while_writing(self, key: object, fn: Callable[[], Any]) -> bool:
        """A view's read asked for while a worker write is running: True when it is held back,
        to run (once per ``key``, the last request wins) just after the write has finished
        and been announced; False when no write is running (the caller reads now).

        The write shares the store's connection, so a read in between would see its
        uncommitted rows (half an import; rows a failing write then rolls back). Timers
        keep running in the runner's local event loop; they must not read meanwhile.
        """
        if not self._writing:
            return False
        self._deferred[key] = fn
        return True

    def _run_deferred(self) -> None:
        while self._deferred and not self._writing:
            key = next(iter(self._deferred))
            fn = self._deferred.pop(key)
            try:
                fn()
            except RuntimeError:  # its view was closed meanwhile (its Qt object is gone)
                log.info("a view's held-back read was dropped: the view is gone")

    # ------------------------------------------------------------------ running
    def run(self, op: Callable[[Any], T], *, parent: QWidget | None = None, initiator: object | None = None,
            errors: Literal["show", "raise", "quiet"] = "show", kept_input: bool = True,
            changes: Callable[[T], Changes] | None = None,
            wait: Literal["thread", "here"] = "thread") -> Outcome[T]:
        """Run ``op(store)`` and announce what it changed; see the module docstring.

        ``errors``: "show" the error in words over ``parent`` (the default), "raise" it in
        the calling thread for the caller to explain, or "quiet" (only returned).
        ``changes``: how to read the :class:`Changes` from the result when it is not one
        (default :func:`changes_of`). ``initiator`` is passed on with the announcement, so
        the view that made the change can tell (Anki's ``handler``).
        """
        try:
            return self._run(op, parent, initiator, errors, kept_input, changes, wait)
        finally:
            self._run_deferred()  # the reads views asked for meanwhile, now that the write is done

    def _run(self, op, parent, initiator, errors, kept_input, changes, wait) -> Outcome:
        store = self.context.store
        self.pending += 1
        try:
            if wait == "here":
                value, error = self._call(op, store)
            else:
                self._writing += 1
                try:
                    value, error = self._in_thread(op, store)
                finally:
                    self._writing -= 1
        finally:
            self.pending -= 1
        self._report_reach(error)
        if error is not None:
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise error
            if not hasattr(error, "kind"):  # a bug, not a database condition: logged (no patient data)
                log.info("operation failed: %s", type(error).__name__)
            if self.context.store is not store:  # the operation replaced the store before failing
                self._announce_replaced(initiator)
            if errors == "raise":
                raise error
            if errors == "show":
                from radiculopathy_desktop.ui import errors as ui_errors
                ui_errors.show_error(parent, error, kept_input=kept_input)
            return Outcome(ok=False, error=error)
        found = changes(value) if changes is not None else changes_of(value)
        if self.context.store is not store:
            self._announce_replaced(initiator)
            found = EVERYTHING
        else:
            self.announce(found, initiator)
        return Outcome(ok=True, value=value, changes=found)

    def _call(self, op: Callable[[Any], T], store: Store, wait_for_lock: bool = False) -> tuple[T | None, BaseException | None]:
        try:
            with self._write_lock:
                if wait_for_lock:
                    wait_for_write_lock(store)
                return op(store), None
        except BaseException as exc:  # noqa: BLE001 - handed to the caller in its thread
            return None, exc

    def _in_thread(self, op: Callable[[Any], T], store) -> tuple[T | None, BaseException | None]:
        """Run ``op`` in a worker; the GUI keeps painting and running timers until it is done."""
        # QEventLoop here, not at the top: this module is loaded before the first paint (the views'
        # defer_while_writing), and QEventLoop's first import builds its enum (~1.4 M instructions)
        from PySide6.QtCore import QEventLoop

        from radiculopathy_desktop.ui.workers import Worker

        box: dict[str, Any] = {}
        done = threading.Event()

        def job():
            try:
                box["result"] = self._call(op, store, wait_for_lock=True)
            finally:
                done.set()

        worker = Worker(job)
        loop = QEventLoop()
        worker.finished.connect(loop.quit, Qt.QueuedConnection)
        poll = QTimer()  # a quit lost between the check below and exec() is caught within 50 ms
        poll.setInterval(50)
        poll.timeout.connect(lambda: done.is_set() and loop.quit())
        worker.start()
        # Most writes take milliseconds: the GUI thread waits for them as it always did, and nothing
        # else runs in between. Only a write still going after QUICK_WRITE_S (a database locked by
        # another program, a slow disk) gets the local event loop, so the window keeps painting.
        if not done.wait(self.QUICK_WRITE_S):
            QApplication.setOverrideCursor(Qt.WaitCursor)
            poll.start()
            try:
                while not done.is_set():
                    loop.exec(QEventLoop.ExcludeUserInputEvents)
            finally:
                poll.stop()
                QApplication.restoreOverrideCursor()
        worker.wait()
        worker.deleteLater()
        return box["result"]

    def _report_reach(self, error: BaseException | None) -> None:
        """Tell the clinic-server watch (when there is one) whether this operation reached the server,
        so the window's banner says so at once (ui/server_watch.py)."""
        watch = self.context.extra.get("server_watch")
        if watch is None:
            return
        if error is None:
            watch.report(True)
        elif getattr(error, "kind", None) == "unreachable":
            watch.report(False)

    # ------------------------------------------------------------------ announcing
    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view what changed: ``hub.changed`` first, then the coarse signals derived from it."""
        hub = self.context.hub
        hub.changed.emit(changes, initiator)
        if changes.worklist or changes.patients or changes.assessments or changes.case is not None:
            for case_id in changes.case_ids:  # not for an audit record alone: nothing shown changed
                hub.case_changed.emit(case_id)
        if (changes.worklist or changes.patients) and not changes.case_ids:
            hub.cases_changed.emit()
        if changes.settings:
            hub.settings_changed.emit()

    def _announce_replaced(self, initiator: object | None) -> None:
        """``context.store`` is a new store (a restore): views take it again, then reload everything."""
        hub = self.context.hub
        hub.store_replaced.emit()
        self.announce(EVERYTHING, initiator)


def wait_for_write_lock(store: Store) -> None:
    """Before a write in the worker: the store waits until no other program holds its write
    lock, on a connection of its own (see ``Store.wait_for_write_lock``); a store without
    such a wait (a test double) is left to the write itself."""
    wait = getattr(store, "wait_for_write_lock", None)
    if wait is not None:
        wait()
